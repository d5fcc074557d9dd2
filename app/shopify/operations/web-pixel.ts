export const WEB_PIXEL_CREATE = `#graphql
  mutation RfmWebPixelCreate($webPixel: WebPixelInput!) {
    webPixelCreate(webPixel: $webPixel) {
      webPixel {
        id
        settings
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const WEB_PIXEL_UPDATE = `#graphql
  mutation RfmWebPixelUpdate($id: ID!, $webPixel: WebPixelInput!) {
    webPixelUpdate(id: $id, webPixel: $webPixel) {
      webPixel {
        id
        settings
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** Without an id Shopify answers this app's pixel on the shop. */
export const WEB_PIXEL = `#graphql
  query RfmWebPixel {
    webPixel {
      id
    }
  }
`;
