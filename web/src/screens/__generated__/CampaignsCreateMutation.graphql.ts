/**
 * @generated SignedSource<<56381d97d418874d51b8cb0c8e62b6ad>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type CampaignPlatform = "FACEBOOK" | "GOOGLE" | "%future added value";
export type CreateCampaignInput = {
  creatives?: ReadonlyArray<CreativeInput> | null | undefined;
  currency?: string | null | undefined;
  dailyBudget: number;
  endDate?: string | null | undefined;
  keywords?: ReadonlyArray<string> | null | undefined;
  name: string;
  objective?: string | null | undefined;
  platform: CampaignPlatform;
  productId?: string | null | undefined;
  startDate?: string | null | undefined;
  targeting?: TargetingInput | null | undefined;
  utmCampaign?: string | null | undefined;
};
export type CreativeInput = {
  body: string;
  headline: string;
  imageUrl?: string | null | undefined;
  linkUrl: string;
};
export type TargetingInput = {
  ageMax?: number | null | undefined;
  ageMin?: number | null | undefined;
  interests?: ReadonlyArray<string> | null | undefined;
  languages?: ReadonlyArray<string> | null | undefined;
  locations?: ReadonlyArray<string> | null | undefined;
};
export type CampaignsCreateMutation$variables = {
  connections: ReadonlyArray<string>;
  input: CreateCampaignInput;
};
export type CampaignsCreateMutation$data = {
  readonly createCampaign: {
    readonly id: string;
    readonly " $fragmentSpreads": FragmentRefs<"Campaigns_campaign">;
  };
};
export type CampaignsCreateMutation = {
  response: CampaignsCreateMutation$data;
  variables: CampaignsCreateMutation$variables;
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
  "args": null,
  "kind": "ScalarField",
  "name": "id",
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
    "name": "CampaignsCreateMutation",
    "selections": [
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "concreteType": "Campaign",
        "kind": "LinkedField",
        "name": "createCampaign",
        "plural": false,
        "selections": [
          (v3/*:: as any*/),
          {
            "args": null,
            "kind": "FragmentSpread",
            "name": "Campaigns_campaign"
          }
        ],
        "storageKey": null
      }
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
    "name": "CampaignsCreateMutation",
    "selections": [
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "concreteType": "Campaign",
        "kind": "LinkedField",
        "name": "createCampaign",
        "plural": false,
        "selections": [
          (v3/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "name",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "platform",
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
            "name": "mock",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "failureReason",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "Budget",
            "kind": "LinkedField",
            "name": "budget",
            "plural": false,
            "selections": [
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "daily",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "currency",
                "storageKey": null
              }
            ],
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "CampaignPerformance",
            "kind": "LinkedField",
            "name": "performance",
            "plural": false,
            "selections": [
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "spend",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "revenue",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "roas",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "roi",
                "storageKey": null
              }
            ],
            "storageKey": null
          }
        ],
        "storageKey": null
      },
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "filters": null,
        "handle": "prependNode",
        "key": "",
        "kind": "LinkedHandle",
        "name": "createCampaign",
        "handleArgs": [
          {
            "kind": "Variable",
            "name": "connections",
            "variableName": "connections"
          },
          {
            "kind": "Literal",
            "name": "edgeTypeName",
            "value": "CampaignEdge"
          }
        ]
      }
    ]
  },
  "params": {
    "cacheID": "9022672f2fd156adbe90ec5d126f2021",
    "id": null,
    "metadata": {},
    "name": "CampaignsCreateMutation",
    "operationKind": "mutation",
    "text": "mutation CampaignsCreateMutation(\n  $input: CreateCampaignInput!\n) {\n  createCampaign(input: $input) {\n    id\n    ...Campaigns_campaign\n  }\n}\n\nfragment Campaigns_campaign on Campaign {\n  id\n  name\n  platform\n  status\n  mock\n  failureReason\n  budget {\n    daily\n    currency\n  }\n  performance {\n    spend\n    revenue\n    roas\n    roi\n  }\n}\n"
  }
};
})();

(node as any).hash = "4dc802a1793ac13586ae9e3fe891596a";

export default node;
