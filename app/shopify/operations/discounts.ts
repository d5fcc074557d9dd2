export const DISCOUNT_CODE_BASIC_CREATE = `#graphql
  mutation RfmSegmentDiscount($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;
