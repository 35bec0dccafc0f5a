import { gql } from '@apollo/client';

export const ORDER_FIELDS = gql`
  fragment OrderFields on Order {
    id
    date
    state
    user {
      id
      username
    }
  }
`;

export const ME = gql`
  query Me {
    me {
      id
      username
    }
  }
`;

// Where the change feed stands; read before ORDERS, so the subscription can start from before that read.
export const CHANGES_CURSOR = gql`
  query ChangesCursor {
    changesCursor
  }
`;

export const ORDERS = gql`
  query Orders($first: Int!) {
    orders(first: $first) {
      edges {
        node {
          ...OrderFields
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
  ${ORDER_FIELDS}
`;

export const ORDER_CHANGES = gql`
  subscription OrderChanges($after: String) {
    orderChanges(after: $after) {
      action
      cursor
      committedAt
      order {
        ...OrderFields
      }
    }
  }
  ${ORDER_FIELDS}
`;

export const UPDATE_ORDER = gql`
  mutation UpdateOrder($input: UpdateOrderInput!) {
    updateOrder(input: $input) {
      order {
        ...OrderFields
      }
      errors {
        field
        messages
      }
    }
  }
  ${ORDER_FIELDS}
`;
