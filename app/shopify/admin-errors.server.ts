// What the Admin API answers when it refuses: any module may catch these; only app/shopify sends requests.

export interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

/** A GraphQL error answered by the Admin API (not a transport failure). */
export class AdminApiError extends Error {
  constructor(
    message: string,
    public readonly errors: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>,
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

/** A mutation answered with `userErrors`: Shopify refused the input. */
export class AdminUserErrors extends Error {
  constructor(
    public readonly mutation: string,
    public readonly userErrors: UserError[],
  ) {
    super(`${mutation} was refused: ${userErrors.map((e) => e.message).join("; ")}`);
    this.name = "AdminUserErrors";
  }
}

/** Throws when a mutation payload carries userErrors, so they are never swallowed. */
export function assertNoUserErrors<P extends { userErrors: UserError[] }>(
  mutation: string,
  payload: P | null | undefined,
): P {
  const checked = payloadOf(mutation, payload);
  if (checked.userErrors.length > 0) throw new AdminUserErrors(mutation, checked.userErrors);
  return checked;
}

/** A mutation's payload, which the schema types as nullable: absent means Shopify answered nothing usable. */
export function payloadOf<P>(mutation: string, payload: P | null | undefined): P {
  if (!payload) throw new AdminApiError(`${mutation} returned no payload`, []);
  return payload;
}
