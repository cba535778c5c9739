/**
 * @generated SignedSource<<a30b23d1754ab3739907041d28b2178e>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type Role = "ADMIN" | "MARKETER" | "OWNER" | "VIEWER" | "%future added value";
export type InviteMemberInput = {
  email: string;
  role: Role;
};
export type SettingsInviteMutation$variables = {
  connections: ReadonlyArray<string>;
  input: InviteMemberInput;
};
export type SettingsInviteMutation$data = {
  readonly inviteMember: {
    readonly email: string;
    readonly expiresAt: string;
    readonly id: string;
    readonly role: Role;
  };
};
export type SettingsInviteMutation = {
  response: SettingsInviteMutation$data;
  variables: SettingsInviteMutation$variables;
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
  "name": "input"
},
v2 = [
  {
    "kind": "Variable",
    "name": "input",
    "variableName": "input"
  }
],
v3 = {
  "alias": null,
  "args": (v2/*:: as any*/),
  "concreteType": "Invitation",
  "kind": "LinkedField",
  "name": "inviteMember",
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
      "name": "email",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "role",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "expiresAt",
      "storageKey": null
    }
  ],
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
    "name": "SettingsInviteMutation",
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
    "name": "SettingsInviteMutation",
    "selections": [
      (v3/*:: as any*/),
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "filters": null,
        "handle": "prependNode",
        "key": "",
        "kind": "LinkedHandle",
        "name": "inviteMember",
        "handleArgs": [
          {
            "kind": "Variable",
            "name": "connections",
            "variableName": "connections"
          },
          {
            "kind": "Literal",
            "name": "edgeTypeName",
            "value": "InvitationEdge"
          }
        ]
      }
    ]
  },
  "params": {
    "cacheID": "1026809d4b0f0209895f4af16cc27d33",
    "id": null,
    "metadata": {},
    "name": "SettingsInviteMutation",
    "operationKind": "mutation",
    "text": "mutation SettingsInviteMutation(\n  $input: InviteMemberInput!\n) {\n  inviteMember(input: $input) {\n    id\n    email\n    role\n    expiresAt\n  }\n}\n"
  }
};
})();

(node as any).hash = "e3a22d60d6fb9d9f47ba1d139fa38b93";

export default node;
