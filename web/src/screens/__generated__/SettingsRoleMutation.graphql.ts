/**
 * @generated SignedSource<<09bfce82914e41fac2b3703fd7b7b6d4>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type Role = "ADMIN" | "MARKETER" | "OWNER" | "VIEWER" | "%future added value";
export type SettingsRoleMutation$variables = {
  id: string;
  role: Role;
};
export type SettingsRoleMutation$data = {
  readonly updateMemberRole: {
    readonly id: string;
    readonly role: Role;
  };
};
export type SettingsRoleMutation = {
  response: SettingsRoleMutation$data;
  variables: SettingsRoleMutation$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "id"
  },
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "role"
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
      },
      {
        "kind": "Variable",
        "name": "role",
        "variableName": "role"
      }
    ],
    "concreteType": "Membership",
    "kind": "LinkedField",
    "name": "updateMemberRole",
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
        "name": "role",
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
    "name": "SettingsRoleMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "SettingsRoleMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "ebcf2f37f08f868f34fd7bcf4f58166b",
    "id": null,
    "metadata": {},
    "name": "SettingsRoleMutation",
    "operationKind": "mutation",
    "text": "mutation SettingsRoleMutation(\n  $id: ID!\n  $role: Role!\n) {\n  updateMemberRole(id: $id, role: $role) {\n    id\n    role\n  }\n}\n"
  }
};
})();

(node as any).hash = "f6af64f1cfac1dbf984d99dc5da98599";

export default node;
