/**
 * @generated SignedSource<<2c8d74cebdcb21606f3d4bcc0262c68f>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type SettingsRevokeKeyMutation$variables = {
  id: string;
};
export type SettingsRevokeKeyMutation$data = {
  readonly revokeApiKey: {
    readonly id: string;
    readonly revokedAt: string | null | undefined;
  };
};
export type SettingsRevokeKeyMutation = {
  response: SettingsRevokeKeyMutation$data;
  variables: SettingsRevokeKeyMutation$variables;
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
    "concreteType": "ApiKey",
    "kind": "LinkedField",
    "name": "revokeApiKey",
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
        "name": "revokedAt",
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
    "name": "SettingsRevokeKeyMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "SettingsRevokeKeyMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "d0325b57b31d08eac158445e62481d17",
    "id": null,
    "metadata": {},
    "name": "SettingsRevokeKeyMutation",
    "operationKind": "mutation",
    "text": "mutation SettingsRevokeKeyMutation(\n  $id: ID!\n) {\n  revokeApiKey(id: $id) {\n    id\n    revokedAt\n  }\n}\n"
  }
};
})();

(node as any).hash = "bf60de16e319271aec0af821063a2240";

export default node;
