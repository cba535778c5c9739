/**
 * @generated SignedSource<<77d46ae780c8849567023514892f4a8a>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type ContentPublishMutation$variables = {
  id: string;
};
export type ContentPublishMutation$data = {
  readonly publishContent: {
    readonly externalPostId: string | null | undefined;
    readonly id: string;
    readonly publishedAt: string | null | undefined;
    readonly status: string;
  };
};
export type ContentPublishMutation = {
  response: ContentPublishMutation$data;
  variables: ContentPublishMutation$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "id"
  }
],
v1 = [
  {
    "alias": null,
    "args": [
      {
        "kind": "Variable",
        "name": "id",
        "variableName": "id"
      }
    ],
    "concreteType": "Content",
    "kind": "LinkedField",
    "name": "publishContent",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "id",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "status",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "externalPostId",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "publishedAt",
        "storageKey": null
      }
    ],
    "storageKey": null
  }
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "ContentPublishMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "ContentPublishMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "acb582d62f1f2e2538a5979d1fe3e81c",
    "id": null,
    "metadata": {},
    "name": "ContentPublishMutation",
    "operationKind": "mutation",
    "text": "mutation ContentPublishMutation(\n  $id: ID!\n) {\n  publishContent(id: $id) {\n    id\n    status\n    externalPostId\n    publishedAt\n  }\n}\n"
  }
};
})();

(node as any).hash = "04f905a3de33aba14e614a0cb86cf976";

export default node;
