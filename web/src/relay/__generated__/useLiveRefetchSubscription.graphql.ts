/**
 * @generated SignedSource<<a3cb8f94c4e1406497e313a97b5e12bc>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type useLiveRefetchSubscription$variables = Record<PropertyKey, never>;
export type useLiveRefetchSubscription$data = {
  readonly eventTracked: {
    readonly eventType: string;
    readonly id: string;
  };
};
export type useLiveRefetchSubscription = {
  response: useLiveRefetchSubscription$data;
  variables: useLiveRefetchSubscription$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "alias": null,
    "args": null,
    "concreteType": "AttributionEvent",
    "kind": "LinkedField",
    "name": "eventTracked",
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
        "name": "eventType",
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
    "name": "useLiveRefetchSubscription",
    "selections": (v0/*:: as any*/),
    "type": "Subscription",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [],
    "kind": "Operation",
    "name": "useLiveRefetchSubscription",
    "selections": (v0/*:: as any*/)
  },
  "params": {
    "cacheID": "2a82926fe49a565246067dd6a353d789",
    "id": null,
    "metadata": {},
    "name": "useLiveRefetchSubscription",
    "operationKind": "subscription",
    "text": "subscription useLiveRefetchSubscription {\n  eventTracked {\n    id\n    eventType\n  }\n}\n"
  }
};
})();

(node as any).hash = "414e2a1d471fd6532c04e1f61fffa9d5";

export default node;
