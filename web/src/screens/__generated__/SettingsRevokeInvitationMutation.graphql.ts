/**
 * @generated SignedSource<<abc3709fbbb4a372916d831c177f5719>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type SettingsRevokeInvitationMutation$variables = {
  connections: ReadonlyArray<string>;
  id: string;
};
export type SettingsRevokeInvitationMutation$data = {
  readonly revokeInvitation: string;
};
export type SettingsRevokeInvitationMutation = {
  response: SettingsRevokeInvitationMutation$data;
  variables: SettingsRevokeInvitationMutation$variables;
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
  "name": "revokeInvitation",
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
    "name": "SettingsRevokeInvitationMutation",
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
    "name": "SettingsRevokeInvitationMutation",
    "selections": [
      (v3/*:: as any*/),
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "filters": null,
        "handle": "deleteEdge",
        "key": "",
        "kind": "ScalarHandle",
        "name": "revokeInvitation",
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
    "cacheID": "94ace2bb8e622e0012165e3957ed9202",
    "id": null,
    "metadata": {},
    "name": "SettingsRevokeInvitationMutation",
    "operationKind": "mutation",
    "text": "mutation SettingsRevokeInvitationMutation(\n  $id: ID!\n) {\n  revokeInvitation(id: $id)\n}\n"
  }
};
})();

(node as any).hash = "f6dba69eacb2dc6af312fd66c15d18c7";

export default node;
