/**
 * @generated SignedSource<<f6b807a724939534eb8667a9037c8d9a>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type Role = "ADMIN" | "MARKETER" | "OWNER" | "VIEWER" | "%future added value";
export type SignedInViewerQuery$variables = Record<PropertyKey, never>;
export type SignedInViewerQuery$data = {
  readonly viewer: {
    readonly organization: {
      readonly attributionWindowDays: number;
      readonly currency: string;
      readonly id: string;
      readonly name: string;
      readonly timezone: string;
      readonly trackingKey: string;
    };
    readonly organizations: ReadonlyArray<{
      readonly id: string;
      readonly name: string;
    }>;
    readonly role: Role;
    readonly user: {
      readonly email: string;
      readonly id: string;
      readonly name: string;
    } | null | undefined;
  };
};
export type SignedInViewerQuery = {
  response: SignedInViewerQuery$data;
  variables: SignedInViewerQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v1 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "name",
  "storageKey": null
},
v2 = [
  {
    "alias": null,
    "args": null,
    "concreteType": "Viewer",
    "kind": "LinkedField",
    "name": "viewer",
    "plural": false,
    "selections": [
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
        "concreteType": "User",
        "kind": "LinkedField",
        "name": "user",
        "plural": false,
        "selections": [
          (v0/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "email",
            "storageKey": null
          },
          (v1/*:: as any*/)
        ],
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "concreteType": "Organization",
        "kind": "LinkedField",
        "name": "organization",
        "plural": false,
        "selections": [
          (v0/*:: as any*/),
          (v1/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "trackingKey",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "currency",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "timezone",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "attributionWindowDays",
            "storageKey": null
          }
        ],
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "concreteType": "Organization",
        "kind": "LinkedField",
        "name": "organizations",
        "plural": true,
        "selections": [
          (v0/*:: as any*/),
          (v1/*:: as any*/)
        ],
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
    "name": "SignedInViewerQuery",
    "selections": (v2/*:: as any*/),
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [],
    "kind": "Operation",
    "name": "SignedInViewerQuery",
    "selections": (v2/*:: as any*/)
  },
  "params": {
    "cacheID": "637420506664c38edbe4473409cbceb2",
    "id": null,
    "metadata": {},
    "name": "SignedInViewerQuery",
    "operationKind": "query",
    "text": "query SignedInViewerQuery {\n  viewer {\n    role\n    user {\n      id\n      email\n      name\n    }\n    organization {\n      id\n      name\n      trackingKey\n      currency\n      timezone\n      attributionWindowDays\n    }\n    organizations {\n      id\n      name\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "bce398c40347bcf715c80586c01629b6";

export default node;
