/**
 * @generated SignedSource<<02d4b8583e191bb94f657a7b304ef2e6>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type SettingsRemoveMemberMutation$variables = {
  connections: ReadonlyArray<string>;
  id: string;
};
export type SettingsRemoveMemberMutation$data = {
  readonly removeMember: string;
};
export type SettingsRemoveMemberMutation = {
  response: SettingsRemoveMemberMutation$data;
  variables: SettingsRemoveMemberMutation$variables;
};

const node: ConcreteRequest = (function(){
var v0 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "connections"
},
v1 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "id"
},
v2 = [
  {
    "kind": "Variable",
    "name": "id",
    "variableName": "id"
  }
],
v3 = {
  "alias": null,
  "args": (v2/*:: as any*/),
  "kind": "ScalarField",
  "name": "removeMember",
  "storageKey": null
};
return {
  "fragment": {
    "argumentDefinitions": [
      (v0/*:: as any*/),
      (v1/*:: as any*/)
    ],
    "kind": "Fragment",
    "metadata": null,
    "name": "SettingsRemoveMemberMutation",
    "selections": [
      (v3/*:: as any*/)
    ],
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [
      (v1/*:: as any*/),
      (v0/*:: as any*/)
    ],
    "kind": "Operation",
    "name": "SettingsRemoveMemberMutation",
    "selections": [
      (v3/*:: as any*/),
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "filters": null,
        "handle": "deleteEdge",
        "key": "",
        "kind": "ScalarHandle",
        "name": "removeMember",
        "handleArgs": [
          {
            "kind": "Variable",
            "name": "connections",
            "variableName": "connections"
          }
        ]
      }
    ]
  },
  "params": {
    "cacheID": "8c8d3480ec395c081d5f0d38f097f1fa",
    "id": null,
    "metadata": {},
    "name": "SettingsRemoveMemberMutation",
    "operationKind": "mutation",
    "text": "mutation SettingsRemoveMemberMutation(\n  $id: ID!\n) {\n  removeMember(id: $id)\n}\n"
  }
};
})();

(node as any).hash = "08ced3ffc1047919684cdb44af46e5c4";

export default node;
