/**
 * A customer's name as Shopify's admin writes it: first and last name joined,
 * null when Shopify has neither (the page then says "Customer without name").
 */
export function customerName(firstName: string | null | undefined, lastName: string | null | undefined): string | null {
  const name = [firstName?.trim(), lastName?.trim()].filter(Boolean).join(" ");
  return name || null;
}
