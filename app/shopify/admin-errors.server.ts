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

/** The level-2 protected customer fields Shopify approves one by one. */
export type ProtectedCustomerField = "name" | "email" | "phone" | "address";

/** GraphQL field names (the last segments of an error's path) per protected customer field. */
const PROTECTED_FIELD_NAMES: Record<string, ProtectedCustomerField> = {
  firstName: "name",
  lastName: "name",
  displayName: "name",
  email: "email",
  emailAddress: "email",
  defaultEmailAddress: "email",
  phone: "phone",
  phoneNumber: "phone",
  defaultPhoneNumber: "phone",
  defaultAddress: "address",
  addresses: "address",
  addressesV2: "address",
  address1: "address",
  address2: "address",
  zip: "address",
};

export interface GraphQLErrorLike {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

/**
 * Shopify's answer for protected customer data the app is not approved for
 * (https://shopify.dev/docs/apps/launch/protected-customer-data): HTTP 200, the field or type null, and an error
 * "This app is not approved to access the Customer object…" / "…not approved to use the email field…".
 */
export function isProtectedDataError(error: GraphQLErrorLike): boolean {
  return /not approved to (access|use)\b/i.test(error.message);
}

/** The protected field an error is about, from its path; null: the whole type (no level-1 access). */
export function protectedFieldOf(error: GraphQLErrorLike): ProtectedCustomerField | null {
  const named = (error.path ?? []).filter((p): p is string => typeof p === "string");
  for (const segment of named.slice(-2).reverse()) {
    const field = PROTECTED_FIELD_NAMES[segment];
    if (field) return field;
  }
  const inMessage = /not approved to use the (\w+) field/i.exec(error.message)?.[1];
  return inMessage ? (PROTECTED_FIELD_NAMES[inMessage] ?? null) : null;
}
