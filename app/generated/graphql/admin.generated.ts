/* eslint-disable */
import * as AdminTypes from "./admin.types.js";

export type RunOrdersBulkQueryMutationVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars["String"]["input"];
}>;

export type RunOrdersBulkQueryMutation = {
  bulkOperationRunQuery?: AdminTypes.Maybe<{
    bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, "id" | "status">>;
    userErrors: Array<Pick<AdminTypes.BulkOperationUserError, "field" | "message" | "code">>;
  }>;
};

export type BulkOperationStatusQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars["ID"]["input"];
}>;

export type BulkOperationStatusQuery = {
  bulkOperation?: AdminTypes.Maybe<
    Pick<
      AdminTypes.BulkOperation,
      | "id"
      | "status"
      | "errorCode"
      | "objectCount"
      | "rootObjectCount"
      | "fileSize"
      | "url"
      | "partialDataUrl"
      | "completedAt"
    >
  >;
};

export type BulkMutationRunMutationVariables = AdminTypes.Exact<{
  mutation: AdminTypes.Scalars["String"]["input"];
  path: AdminTypes.Scalars["String"]["input"];
}>;

export type BulkMutationRunMutation = {
  bulkOperationRunMutation?: AdminTypes.Maybe<{
    bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, "id" | "status">>;
    userErrors: Array<Pick<AdminTypes.BulkMutationUserError, "field" | "message" | "code">>;
  }>;
};

export type BulkMutationStatusQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars["ID"]["input"];
}>;

export type BulkMutationStatusQuery = {
  bulkOperation?: AdminTypes.Maybe<
    Pick<AdminTypes.BulkOperation, "id" | "status" | "errorCode" | "objectCount" | "url" | "partialDataUrl">
  >;
};

export type BulkMutationCurrentQueryVariables = AdminTypes.Exact<{ [key: string]: never }>;

export type BulkMutationCurrentQuery = {
  bulkOperations: { nodes: Array<Pick<AdminTypes.BulkOperation, "id" | "status">> };
};

export type BulkQueriesInProgressQueryVariables = AdminTypes.Exact<{ [key: string]: never }>;

export type BulkQueriesInProgressQuery = {
  created: { nodes: Array<Pick<AdminTypes.BulkOperation, "id">> };
  running: { nodes: Array<Pick<AdminTypes.BulkOperation, "id">> };
};

export type RfmPixelCustomersQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars["ID"]["input"]> | AdminTypes.Scalars["ID"]["input"];
}>;

export type RfmPixelCustomersQuery = {
  nodes: Array<
    AdminTypes.Maybe<
      Pick<AdminTypes.Customer, "id" | "firstName" | "lastName" | "locale" | "tags" | "createdAt" | "updatedAt"> & {
        defaultEmailAddress?: AdminTypes.Maybe<
          Pick<
            AdminTypes.CustomerEmailAddress,
            "emailAddress" | "marketingState" | "marketingOptInLevel" | "marketingUpdatedAt"
          >
        >;
        defaultPhoneNumber?: AdminTypes.Maybe<
          Pick<AdminTypes.CustomerPhoneNumber, "phoneNumber"> & {
            smsMarketingConsent: Pick<AdminTypes.CustomerSmsMarketingConsent, "state" | "optInLevel" | "updatedAt">;
          }
        >;
        defaultAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, "countryCodeV2">>;
      }
    >
  >;
};

export type RfmBlockStatisticsQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars["ID"]["input"];
}>;

export type RfmBlockStatisticsQuery = {
  customer?: AdminTypes.Maybe<{ statistics: Pick<AdminTypes.CustomerStatistics, "predictedSpendTier" | "rfmGroup"> }>;
};

export type RfmCustomerDataAccessQueryVariables = AdminTypes.Exact<{ [key: string]: never }>;

export type RfmCustomerDataAccessQuery = {
  customers: {
    nodes: Array<
      Pick<AdminTypes.Customer, "id" | "firstName" | "lastName"> & {
        defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, "emailAddress">>;
        defaultPhoneNumber?: AdminTypes.Maybe<Pick<AdminTypes.CustomerPhoneNumber, "phoneNumber">>;
        defaultAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, "address1">>;
      }
    >;
  };
};

export type CustomersCountQueryVariables = AdminTypes.Exact<{
  query?: AdminTypes.InputMaybe<AdminTypes.Scalars["String"]["input"]>;
}>;

export type CustomersCountQuery = { customersCount?: AdminTypes.Maybe<Pick<AdminTypes.Count, "count" | "precision">> };

export type RfmSegmentDiscountMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeBasicInput;
}>;

export type RfmSegmentDiscountMutation = {
  discountCodeBasicCreate?: AdminTypes.Maybe<{
    codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, "id">>;
    userErrors: Array<Pick<AdminTypes.DiscountUserError, "field" | "message" | "code">>;
  }>;
};

export type RfmSegmentFiltersQueryVariables = AdminTypes.Exact<{
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars["String"]["input"]>;
}>;

export type RfmSegmentFiltersQuery = {
  segmentFilters: {
    nodes: Array<
      | Pick<AdminTypes.SegmentAssociationFilter, "queryName">
      | Pick<AdminTypes.SegmentBooleanFilter, "queryName">
      | Pick<AdminTypes.SegmentDateFilter, "queryName">
      | Pick<AdminTypes.SegmentEnumFilter, "queryName">
      | Pick<AdminTypes.SegmentEventFilter, "queryName">
      | Pick<AdminTypes.SegmentFloatFilter, "queryName">
      | Pick<AdminTypes.SegmentIntegerFilter, "queryName">
      | Pick<AdminTypes.SegmentStringFilter, "queryName">
    >;
    pageInfo: Pick<AdminTypes.PageInfo, "hasNextPage" | "endCursor">;
  };
};

export type RfmSegmentMemberIdsQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars["String"]["input"];
  first: AdminTypes.Scalars["Int"]["input"];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars["String"]["input"]>;
  timezone?: AdminTypes.InputMaybe<AdminTypes.Scalars["String"]["input"]>;
}>;

export type RfmSegmentMemberIdsQuery = {
  customerSegmentMembers: {
    edges: Array<{ node: Pick<AdminTypes.CustomerSegmentMember, "id"> }>;
    pageInfo: Pick<AdminTypes.PageInfo, "hasNextPage" | "endCursor">;
  };
};

export type RfmMetafieldDefinitionMutationVariables = AdminTypes.Exact<{
  definition: AdminTypes.MetafieldDefinitionInput;
}>;

export type RfmMetafieldDefinitionMutation = {
  metafieldDefinitionCreate?: AdminTypes.Maybe<{
    createdDefinition?: AdminTypes.Maybe<Pick<AdminTypes.MetafieldDefinition, "id">>;
    userErrors: Array<Pick<AdminTypes.MetafieldDefinitionCreateUserError, "field" | "message" | "code">>;
  }>;
};

export type RfmMetafieldsBulkMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;

export type RfmMetafieldsBulkMutation = {
  metafieldsSet?: AdminTypes.Maybe<{
    userErrors: Array<Pick<AdminTypes.MetafieldsSetUserError, "field" | "message" | "code">>;
  }>;
};

export type RfmMetafieldsDeleteMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldIdentifierInput> | AdminTypes.MetafieldIdentifierInput;
}>;

export type RfmMetafieldsDeleteMutation = {
  metafieldsDelete?: AdminTypes.Maybe<{
    deletedMetafields?: AdminTypes.Maybe<Array<AdminTypes.Maybe<Pick<AdminTypes.MetafieldIdentifier, "ownerId">>>>;
    userErrors: Array<Pick<AdminTypes.UserError, "field" | "message">>;
  }>;
};

export type RfmOrderJourneysQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars["ID"]["input"]> | AdminTypes.Scalars["ID"]["input"];
}>;

export type RfmOrderJourneysQuery = {
  nodes: Array<
    AdminTypes.Maybe<
      Pick<AdminTypes.Order, "id"> & {
        customerJourneySummary?: AdminTypes.Maybe<
          Pick<AdminTypes.CustomerJourneySummary, "ready" | "customerOrderIndex" | "daysToConversion"> & {
            firstVisit?: AdminTypes.Maybe<
              Pick<AdminTypes.CustomerVisit, "source" | "sourceType"> & {
                utmParameters?: AdminTypes.Maybe<Pick<AdminTypes.UtmParameters, "campaign" | "medium" | "source">>;
              }
            >;
          }
        >;
      }
    >
  >;
};

export type OrdersCountQueryVariables = AdminTypes.Exact<{
  query?: AdminTypes.InputMaybe<AdminTypes.Scalars["String"]["input"]>;
}>;

export type OrdersCountQuery = { ordersCount?: AdminTypes.Maybe<Pick<AdminTypes.Count, "count" | "precision">> };

export type SmokeFirstOrderCustomerQueryVariables = AdminTypes.Exact<{ [key: string]: never }>;

export type SmokeFirstOrderCustomerQuery = {
  orders: { nodes: Array<{ customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, "id">> }> };
};

export type RfmSegmentCreateMutationVariables = AdminTypes.Exact<{
  name: AdminTypes.Scalars["String"]["input"];
  query: AdminTypes.Scalars["String"]["input"];
}>;

export type RfmSegmentCreateMutation = {
  segmentCreate?: AdminTypes.Maybe<{
    segment?: AdminTypes.Maybe<Pick<AdminTypes.Segment, "id" | "name" | "query">>;
    userErrors: Array<Pick<AdminTypes.UserError, "field" | "message">>;
  }>;
};

export type RfmSegmentUpdateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars["ID"]["input"];
  name?: AdminTypes.InputMaybe<AdminTypes.Scalars["String"]["input"]>;
  query?: AdminTypes.InputMaybe<AdminTypes.Scalars["String"]["input"]>;
}>;

export type RfmSegmentUpdateMutation = {
  segmentUpdate?: AdminTypes.Maybe<{
    segment?: AdminTypes.Maybe<Pick<AdminTypes.Segment, "id" | "name" | "query">>;
    userErrors: Array<Pick<AdminTypes.UserError, "field" | "message">>;
  }>;
};

export type RfmSegmentDeleteMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars["ID"]["input"];
}>;

export type RfmSegmentDeleteMutation = {
  segmentDelete?: AdminTypes.Maybe<
    Pick<AdminTypes.SegmentDeletePayload, "deletedSegmentId"> & {
      userErrors: Array<Pick<AdminTypes.UserError, "field" | "message">>;
    }
  >;
};

export type RfmSegmentByNameQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars["String"]["input"];
}>;

export type RfmSegmentByNameQuery = { segments: { nodes: Array<Pick<AdminTypes.Segment, "id" | "name" | "query">> } };

export type RfmSegmentByIdQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars["ID"]["input"];
}>;

export type RfmSegmentByIdQuery = { segment?: AdminTypes.Maybe<Pick<AdminTypes.Segment, "id">> };

export type ShopInfoQueryVariables = AdminTypes.Exact<{ [key: string]: never }>;

export type ShopInfoQuery = {
  shop: Pick<AdminTypes.Shop, "name" | "email" | "myshopifyDomain" | "currencyCode" | "ianaTimezone"> & {
    plan: Pick<AdminTypes.ShopPlan, "publicDisplayName" | "shopifyPlus" | "partnerDevelopment">;
  };
};

export type ThrottleProbeQueryVariables = AdminTypes.Exact<{ [key: string]: never }>;

export type ThrottleProbeQuery = { shop: Pick<AdminTypes.Shop, "id"> };

export type BulkVariablesUploadMutationVariables = AdminTypes.Exact<{
  input: Array<AdminTypes.StagedUploadInput> | AdminTypes.StagedUploadInput;
}>;

export type BulkVariablesUploadMutation = {
  stagedUploadsCreate?: AdminTypes.Maybe<{
    stagedTargets?: AdminTypes.Maybe<
      Array<
        Pick<AdminTypes.StagedMediaUploadTarget, "url"> & {
          parameters: Array<Pick<AdminTypes.StagedUploadParameter, "name" | "value">>;
        }
      >
    >;
    userErrors: Array<Pick<AdminTypes.UserError, "field" | "message">>;
  }>;
};

export type AppTagsRemoveMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars["ID"]["input"];
  tags: Array<AdminTypes.Scalars["String"]["input"]> | AdminTypes.Scalars["String"]["input"];
}>;

export type AppTagsRemoveMutation = {
  tagsRemove?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, "field" | "message">> }>;
};

export type AppTagsAddMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars["ID"]["input"];
  tags: Array<AdminTypes.Scalars["String"]["input"]> | AdminTypes.Scalars["String"]["input"];
}>;

export type AppTagsAddMutation = {
  tagsAdd?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, "field" | "message">> }>;
};

export type RfmWebPixelCreateMutationVariables = AdminTypes.Exact<{
  webPixel: AdminTypes.WebPixelInput;
}>;

export type RfmWebPixelCreateMutation = {
  webPixelCreate?: AdminTypes.Maybe<{
    webPixel?: AdminTypes.Maybe<Pick<AdminTypes.WebPixel, "id" | "settings">>;
    userErrors: Array<Pick<AdminTypes.ErrorsWebPixelUserError, "field" | "message" | "code">>;
  }>;
};

export type RfmWebPixelUpdateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars["ID"]["input"];
  webPixel: AdminTypes.WebPixelInput;
}>;

export type RfmWebPixelUpdateMutation = {
  webPixelUpdate?: AdminTypes.Maybe<{
    webPixel?: AdminTypes.Maybe<Pick<AdminTypes.WebPixel, "id" | "settings">>;
    userErrors: Array<Pick<AdminTypes.ErrorsWebPixelUserError, "field" | "message" | "code">>;
  }>;
};

export type RfmWebPixelQueryVariables = AdminTypes.Exact<{ [key: string]: never }>;

export type RfmWebPixelQuery = { webPixel?: AdminTypes.Maybe<Pick<AdminTypes.WebPixel, "id">> };

interface GeneratedQueryTypes {
  "#graphql\n  query BulkOperationStatus($id: ID!) {\n    bulkOperation(id: $id) {\n      id\n      status\n      errorCode\n      objectCount\n      rootObjectCount\n      fileSize\n      url\n      partialDataUrl\n      completedAt\n    }\n  }\n": {
    return: BulkOperationStatusQuery;
    variables: BulkOperationStatusQueryVariables;
  };
  "#graphql\n  query BulkMutationStatus($id: ID!) {\n    bulkOperation(id: $id) {\n      id\n      status\n      errorCode\n      objectCount\n      url\n      partialDataUrl\n    }\n  }\n": {
    return: BulkMutationStatusQuery;
    variables: BulkMutationStatusQueryVariables;
  };
  '#graphql\n  query BulkMutationCurrent {\n    bulkOperations(first: 1, query: "operation_type:mutation status:running") {\n      nodes {\n        id\n        status\n      }\n    }\n  }\n': {
    return: BulkMutationCurrentQuery;
    variables: BulkMutationCurrentQueryVariables;
  };
  '#graphql\n  query BulkQueriesInProgress {\n    created: bulkOperations(first: 5, query: "operation_type:query status:created") {\n      nodes {\n        id\n      }\n    }\n    running: bulkOperations(first: 5, query: "operation_type:query status:running") {\n      nodes {\n        id\n      }\n    }\n  }\n': {
    return: BulkQueriesInProgressQuery;
    variables: BulkQueriesInProgressQueryVariables;
  };
  "#graphql\n  query RfmPixelCustomers($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on Customer {\n        id\n        defaultEmailAddress {\n          emailAddress\n          marketingState\n          marketingOptInLevel\n          marketingUpdatedAt\n        }\n        defaultPhoneNumber {\n          phoneNumber\n          smsMarketingConsent {\n            state\n            optInLevel\n            updatedAt\n          }\n        }\n        defaultAddress {\n          countryCodeV2\n        }\n        firstName\n        lastName\n        locale\n        tags\n        createdAt\n        updatedAt\n      }\n    }\n  }\n": {
    return: RfmPixelCustomersQuery;
    variables: RfmPixelCustomersQueryVariables;
  };
  "#graphql\n  query RfmBlockStatistics($id: ID!) {\n    customer(id: $id) {\n      statistics {\n        predictedSpendTier\n        rfmGroup\n      }\n    }\n  }\n": {
    return: RfmBlockStatisticsQuery;
    variables: RfmBlockStatisticsQueryVariables;
  };
  "#graphql\n  query RfmCustomerDataAccess {\n    customers(first: 1) {\n      nodes {\n        id\n        firstName\n        lastName\n        defaultEmailAddress {\n          emailAddress\n        }\n        defaultPhoneNumber {\n          phoneNumber\n        }\n        defaultAddress {\n          address1\n        }\n      }\n    }\n  }\n": {
    return: RfmCustomerDataAccessQuery;
    variables: RfmCustomerDataAccessQueryVariables;
  };
  "#graphql\n  query CustomersCount($query: String) {\n    customersCount(query: $query, limit: null) {\n      count\n      precision\n    }\n  }\n": {
    return: CustomersCountQuery;
    variables: CustomersCountQueryVariables;
  };
  "#graphql\n  query RfmSegmentFilters($after: String) {\n    segmentFilters(first: 250, after: $after) {\n      nodes {\n        queryName\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": {
    return: RfmSegmentFiltersQuery;
    variables: RfmSegmentFiltersQueryVariables;
  };
  "#graphql\n  query RfmSegmentMemberIds($query: String!, $first: Int!, $after: String, $timezone: String) {\n    customerSegmentMembers(query: $query, first: $first, after: $after, timezone: $timezone) {\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": {
    return: RfmSegmentMemberIdsQuery;
    variables: RfmSegmentMemberIdsQueryVariables;
  };
  "#graphql\n  query RfmOrderJourneys($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on Order {\n        id\n        customerJourneySummary {\n            ready\n            customerOrderIndex\n            daysToConversion\n            firstVisit {\n              source\n              sourceType\n              utmParameters {\n                campaign\n                medium\n                source\n              }\n            }\n          }\n      }\n    }\n  }\n": {
    return: RfmOrderJourneysQuery;
    variables: RfmOrderJourneysQueryVariables;
  };
  "#graphql\n  query OrdersCount($query: String) {\n    ordersCount(query: $query, limit: null) {\n      count\n      precision\n    }\n  }\n": {
    return: OrdersCountQuery;
    variables: OrdersCountQueryVariables;
  };
  "#graphql\n  query SmokeFirstOrderCustomer {\n    orders(first: 1) {\n      nodes {\n        customer {\n          id\n        }\n      }\n    }\n  }\n": {
    return: SmokeFirstOrderCustomerQuery;
    variables: SmokeFirstOrderCustomerQueryVariables;
  };
  "#graphql\n  query RfmSegmentByName($query: String!) {\n    segments(first: 25, query: $query) {\n      nodes {\n        id\n        name\n        query\n      }\n    }\n  }\n": {
    return: RfmSegmentByNameQuery;
    variables: RfmSegmentByNameQueryVariables;
  };
  "#graphql\n  query RfmSegmentById($id: ID!) {\n    segment(id: $id) {\n      id\n    }\n  }\n": {
    return: RfmSegmentByIdQuery;
    variables: RfmSegmentByIdQueryVariables;
  };
  "#graphql\n  query ShopInfo {\n    shop {\n      name\n      email\n      myshopifyDomain\n      currencyCode\n      ianaTimezone\n      plan {\n        publicDisplayName\n        shopifyPlus\n        partnerDevelopment\n      }\n    }\n  }\n": {
    return: ShopInfoQuery;
    variables: ShopInfoQueryVariables;
  };
  "#graphql\n  query ThrottleProbe {\n    shop {\n      id\n    }\n  }\n": {
    return: ThrottleProbeQuery;
    variables: ThrottleProbeQueryVariables;
  };
  "#graphql\n  query RfmWebPixel {\n    webPixel {\n      id\n    }\n  }\n": {
    return: RfmWebPixelQuery;
    variables: RfmWebPixelQueryVariables;
  };
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation RunOrdersBulkQuery($query: String!) {\n    bulkOperationRunQuery(query: $query, groupObjects: false) {\n      bulkOperation {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {
    return: RunOrdersBulkQueryMutation;
    variables: RunOrdersBulkQueryMutationVariables;
  };
  "#graphql\n  mutation BulkMutationRun($mutation: String!, $path: String!) {\n    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) {\n      bulkOperation {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {
    return: BulkMutationRunMutation;
    variables: BulkMutationRunMutationVariables;
  };
  "#graphql\n  mutation RfmSegmentDiscount($discount: DiscountCodeBasicInput!) {\n    discountCodeBasicCreate(basicCodeDiscount: $discount) {\n      codeDiscountNode {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {
    return: RfmSegmentDiscountMutation;
    variables: RfmSegmentDiscountMutationVariables;
  };
  "#graphql\n  mutation RfmMetafieldDefinition($definition: MetafieldDefinitionInput!) {\n    metafieldDefinitionCreate(definition: $definition) {\n      createdDefinition {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {
    return: RfmMetafieldDefinitionMutation;
    variables: RfmMetafieldDefinitionMutationVariables;
  };
  "#graphql\n  mutation RfmMetafieldsBulk($metafields: [MetafieldsSetInput!]!) {\n    metafieldsSet(metafields: $metafields) {\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {
    return: RfmMetafieldsBulkMutation;
    variables: RfmMetafieldsBulkMutationVariables;
  };
  "#graphql\n  mutation RfmMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {\n    metafieldsDelete(metafields: $metafields) {\n      deletedMetafields {\n        ownerId\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {
    return: RfmMetafieldsDeleteMutation;
    variables: RfmMetafieldsDeleteMutationVariables;
  };
  "#graphql\n  mutation RfmSegmentCreate($name: String!, $query: String!) {\n    segmentCreate(name: $name, query: $query) {\n      segment {\n        id\n        name\n        query\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {
    return: RfmSegmentCreateMutation;
    variables: RfmSegmentCreateMutationVariables;
  };
  "#graphql\n  mutation RfmSegmentUpdate($id: ID!, $name: String, $query: String) {\n    segmentUpdate(id: $id, name: $name, query: $query) {\n      segment {\n        id\n        name\n        query\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {
    return: RfmSegmentUpdateMutation;
    variables: RfmSegmentUpdateMutationVariables;
  };
  "#graphql\n  mutation RfmSegmentDelete($id: ID!) {\n    segmentDelete(id: $id) {\n      deletedSegmentId\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {
    return: RfmSegmentDeleteMutation;
    variables: RfmSegmentDeleteMutationVariables;
  };
  "#graphql\n  mutation BulkVariablesUpload($input: [StagedUploadInput!]!) {\n    stagedUploadsCreate(input: $input) {\n      stagedTargets {\n        url\n        parameters {\n          name\n          value\n        }\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {
    return: BulkVariablesUploadMutation;
    variables: BulkVariablesUploadMutationVariables;
  };
  "#graphql\n  mutation AppTagsRemove($id: ID!, $tags: [String!]!) {\n    tagsRemove(id: $id, tags: $tags) {\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {
    return: AppTagsRemoveMutation;
    variables: AppTagsRemoveMutationVariables;
  };
  "#graphql\n  mutation AppTagsAdd($id: ID!, $tags: [String!]!) {\n    tagsAdd(id: $id, tags: $tags) {\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {
    return: AppTagsAddMutation;
    variables: AppTagsAddMutationVariables;
  };
  "#graphql\n  mutation RfmWebPixelCreate($webPixel: WebPixelInput!) {\n    webPixelCreate(webPixel: $webPixel) {\n      webPixel {\n        id\n        settings\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {
    return: RfmWebPixelCreateMutation;
    variables: RfmWebPixelCreateMutationVariables;
  };
  "#graphql\n  mutation RfmWebPixelUpdate($id: ID!, $webPixel: WebPixelInput!) {\n    webPixelUpdate(id: $id, webPixel: $webPixel) {\n      webPixel {\n        id\n        settings\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {
    return: RfmWebPixelUpdateMutation;
    variables: RfmWebPixelUpdateMutationVariables;
  };
}
declare module "../../shopify/admin-client.server" {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
