/**
 * @generated SignedSource<<99c82483c6c3cc782b4e2cc058ae62be>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type ContentRejectMutation$variables = {
  id: string;
};
export type ContentRejectMutation$data = {
  readonly rejectContent: {
    readonly id: string;
    readonly status: string;
  };
};
export type ContentRejectMutation = {
  response: ContentRejectMutation$data;
  variables: ContentRejectMutation$variables;
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
    "name": "rejectContent",
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
    "name": "ContentRejectMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "ContentRejectMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "6fd14f81f3d01b531eb241e9b9672ca7",
    "id": null,
    "metadata": {},
    "name": "ContentRejectMutation",
    "operationKind": "mutation",
    "text": "mutation ContentRejectMutation(\n  $id: ID!\n) {\n  rejectContent(id: $id) {\n    id\n    status\n  }\n}\n"
  }
};
})();

(node as any).hash = "fcf3631f2b325b0009df75c2dce2824e";

export default node;
