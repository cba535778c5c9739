/**
 * @generated SignedSource<<dacae46b9569421d81c19d4c6579240f>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type SettingsRotateMutation$variables = Record<PropertyKey, never>;
export type SettingsRotateMutation$data = {
  readonly rotateTrackingKey: {
    readonly id: string;
    readonly trackingKey: string;
  };
};
export type SettingsRotateMutation = {
  response: SettingsRotateMutation$data;
  variables: SettingsRotateMutation$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "alias": null,
    "args": null,
    "concreteType": "Organization",
    "kind": "LinkedField",
    "name": "rotateTrackingKey",
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
        "name": "trackingKey",
        "storageKey": null
      }
    ],
    "storageKey": null
  }
];
return {
  "fragment": {
    "argumentDefinitions": [],
    "kind": "Fragment",
    "metadata": null,
    "name": "SettingsRotateMutation",
    "selections": (v0/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [],
    "kind": "Operation",
    "name": "SettingsRotateMutation",
    "selections": (v0/*:: as any*/)
  },
  "params": {
    "cacheID": "ef88c2ccde17ea678a5782f6c5ea4ef6",
    "id": null,
    "metadata": {},
    "name": "SettingsRotateMutation",
    "operationKind": "mutation",
    "text": "mutation SettingsRotateMutation {\n  rotateTrackingKey {\n    id\n    trackingKey\n  }\n}\n"
  }
};
})();

(node as any).hash = "409e80eb2537224fa0bc215c3685e1c9";

export default node;
