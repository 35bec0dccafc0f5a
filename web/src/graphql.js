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

// The table's live stream: changes grouped by what accumulated while the page was busy, so a bulk
// statement arrives as a few large messages instead of thousands of small ones. `filter` stays unset
// (the table shows every visible order); `after` resumes after a batch's or any change's cursor.
// `changedFields` says which cells to mark; `previous` what they showed before (its owner's id, too, to
// tell a staff actor); `transaction` where a transaction's changes end, to show them at once; `origin`
// whether the change came from outside the app, from whom, and whether it is the echo of this page's
// own mutation (`clientMutationId`).
export const ORDER_CHANGE_BATCHES = gql`
  subscription OrderChangeBatches($filter: OrderFilter, $after: String) {
    orderChangeBatches(filter: $filter, after: $after) {
      cursor
      changes {
        action
        cursor
        committedAt
        changedFields
        order {
          ...OrderFields
        }
        previous {
          date
          state
          user {
            id
          }
        }
        transaction {
          id
          last
        }
        origin {
          kind
          clientMutationId
          actor {
            id
            username
          }
        }
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
