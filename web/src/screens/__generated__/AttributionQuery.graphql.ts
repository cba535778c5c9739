/**
 * @generated SignedSource<<15431df90f825c573071f89387f88c0a>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type AttributionDimension = "CAMPAIGN" | "MEDIUM" | "SOURCE" | "%future added value";
export type AttributionModel = "FIRST_TOUCH" | "LAST_TOUCH" | "LINEAR" | "POSITION_BASED" | "TIME_DECAY" | "%future added value";
export type CampaignPlatform = "FACEBOOK" | "GOOGLE" | "%future added value";
export type AttributionQuery$variables = {
  from: string;
  groupBy: AttributionDimension;
  to?: string | null | undefined;
};
export type AttributionQuery$data = {
  readonly campaigns: {
    readonly edges: ReadonlyArray<{
      readonly node: {
        readonly id: string;
        readonly metrics: ReadonlyArray<{
          readonly cost: number;
        }>;
        readonly platform: CampaignPlatform;
        readonly utmCampaign: string;
      } | null | undefined;
    } | null | undefined> | null | undefined;
  };
  readonly firstTouch: {
    readonly currency: string;
    readonly from: string;
    readonly model: AttributionModel;
    readonly rows: ReadonlyArray<{
      readonly campaign: string | null | undefined;
      readonly conversions: number;
      readonly medium: string | null | undefined;
      readonly revenue: number;
      readonly source: string | null | undefined;
    }>;
    readonly to: string;
  };
  readonly lastTouch: {
    readonly currency: string;
    readonly from: string;
    readonly model: AttributionModel;
    readonly rows: ReadonlyArray<{
      readonly campaign: string | null | undefined;
      readonly conversions: number;
      readonly medium: string | null | undefined;
      readonly revenue: number;
      readonly source: string | null | undefined;
    }>;
    readonly to: string;
  };
  readonly linear: {
    readonly currency: string;
    readonly from: string;
    readonly model: AttributionModel;
    readonly rows: ReadonlyArray<{
      readonly campaign: string | null | undefined;
      readonly conversions: number;
      readonly medium: string | null | undefined;
      readonly revenue: number;
      readonly source: string | null | undefined;
    }>;
    readonly to: string;
  };
  readonly positionBased: {
    readonly currency: string;
    readonly from: string;
    readonly model: AttributionModel;
    readonly rows: ReadonlyArray<{
      readonly campaign: string | null | undefined;
      readonly conversions: number;
      readonly medium: string | null | undefined;
      readonly revenue: number;
      readonly source: string | null | undefined;
    }>;
    readonly to: string;
  };
  readonly timeDecay: {
    readonly currency: string;
    readonly from: string;
    readonly model: AttributionModel;
    readonly rows: ReadonlyArray<{
      readonly campaign: string | null | undefined;
      readonly conversions: number;
      readonly medium: string | null | undefined;
      readonly revenue: number;
      readonly source: string | null | undefined;
    }>;
    readonly to: string;
  };
};
export type AttributionQuery = {
  response: AttributionQuery$data;
  variables: AttributionQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "from"
},
v1 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "groupBy"
},
v2 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "to"
},
v3 = {
  "kind": "Variable",
  "name": "from",
  "variableName": "from"
},
v4 = {
  "kind": "Variable",
  "name": "groupBy",
  "variableName": "groupBy"
},
v5 = {
  "kind": "Variable",
  "name": "to",
  "variableName": "to"
},
v6 = [
  (v3/*:: as any*/),
  (v4/*:: as any*/),
  {
    "kind": "Literal",
    "name": "model",
    "value": "FIRST_TOUCH"
  },
  (v5/*:: as any*/)
],
v7 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "model",
  "storageKey": null
},
v8 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "currency",
  "storageKey": null
},
v9 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "from",
  "storageKey": null
},
v10 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "to",
  "storageKey": null
},
v11 = {
  "alias": null,
  "args": null,
  "concreteType": "AttributionReportRow",
  "kind": "LinkedField",
  "name": "rows",
  "plural": true,
  "selections": [
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "source",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "medium",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "campaign",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "conversions",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "revenue",
      "storageKey": null
    }
  ],
  "storageKey": null
},
v12 = [
  (v7/*:: as any*/),
  (v8/*:: as any*/),
  (v9/*:: as any*/),
  (v10/*:: as any*/),
  (v11/*:: as any*/)
],
v13 = [
  (v3/*:: as any*/),
  (v4/*:: as any*/),
  {
    "kind": "Literal",
    "name": "model",
    "value": "LAST_TOUCH"
  },
  (v5/*:: as any*/)
],
v14 = [
  (v3/*:: as any*/),
  (v4/*:: as any*/),
  {
    "kind": "Literal",
    "name": "model",
    "value": "LINEAR"
  },
  (v5/*:: as any*/)
],
v15 = [
  (v3/*:: as any*/),
  (v4/*:: as any*/),
  {
    "kind": "Literal",
    "name": "model",
    "value": "TIME_DECAY"
  },
  (v5/*:: as any*/)
],
v16 = [
  (v3/*:: as any*/),
  (v4/*:: as any*/),
  {
    "kind": "Literal",
    "name": "model",
    "value": "POSITION_BASED"
  },
  (v5/*:: as any*/)
],
v17 = [
  {
    "kind": "Literal",
    "name": "first",
    "value": 20
  },
  {
    "kind": "Literal",
    "name": "orderBy",
    "value": {
      "direction": "DESC",
      "field": "CREATED_AT"
    }
  }
],
v18 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v19 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "platform",
  "storageKey": null
},
v20 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "utmCampaign",
  "storageKey": null
},
v21 = [
  (v3/*:: as any*/),
  (v5/*:: as any*/)
],
v22 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "cost",
  "storageKey": null
},
v23 = [
  (v7/*:: as any*/),
  (v8/*:: as any*/),
  (v9/*:: as any*/),
  (v10/*:: as any*/),
  (v11/*:: as any*/),
  (v18/*:: as any*/)
];
return {
  "fragment": {
    "argumentDefinitions": [
      (v0/*:: as any*/),
      (v1/*:: as any*/),
      (v2/*:: as any*/)
    ],
    "kind": "Fragment",
    "metadata": null,
    "name": "AttributionQuery",
    "selections": [
      {
        "alias": "firstTouch",
        "args": (v6/*:: as any*/),
        "concreteType": "AttributionReport",
        "kind": "LinkedField",
        "name": "attributionReport",
        "plural": false,
        "selections": (v12/*:: as any*/),
        "storageKey": null
      },
      {
        "alias": "lastTouch",
        "args": (v13/*:: as any*/),
        "concreteType": "AttributionReport",
        "kind": "LinkedField",
        "name": "attributionReport",
        "plural": false,
        "selections": (v12/*:: as any*/),
        "storageKey": null
      },
      {
        "alias": "linear",
        "args": (v14/*:: as any*/),
        "concreteType": "AttributionReport",
        "kind": "LinkedField",
        "name": "attributionReport",
        "plural": false,
        "selections": (v12/*:: as any*/),
        "storageKey": null
      },
      {
        "alias": "timeDecay",
        "args": (v15/*:: as any*/),
        "concreteType": "AttributionReport",
        "kind": "LinkedField",
        "name": "attributionReport",
        "plural": false,
        "selections": (v12/*:: as any*/),
        "storageKey": null
      },
      {
        "alias": "positionBased",
        "args": (v16/*:: as any*/),
        "concreteType": "AttributionReport",
        "kind": "LinkedField",
        "name": "attributionReport",
        "plural": false,
        "selections": (v12/*:: as any*/),
        "storageKey": null
      },
      {
        "alias": null,
        "args": (v17/*:: as any*/),
        "concreteType": "CampaignConnection",
        "kind": "LinkedField",
        "name": "campaigns",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "CampaignEdge",
            "kind": "LinkedField",
            "name": "edges",
            "plural": true,
            "selections": [
              {
                "alias": null,
                "args": null,
                "concreteType": "Campaign",
                "kind": "LinkedField",
                "name": "node",
                "plural": false,
                "selections": [
                  (v18/*:: as any*/),
                  (v19/*:: as any*/),
                  (v20/*:: as any*/),
                  {
                    "alias": null,
                    "args": (v21/*:: as any*/),
                    "concreteType": "CampaignMetric",
                    "kind": "LinkedField",
                    "name": "metrics",
                    "plural": true,
                    "selections": [
                      (v22/*:: as any*/)
                    ],
                    "storageKey": null
                  }
                ],
                "storageKey": null
              }
            ],
            "storageKey": null
          }
        ],
        "storageKey": "campaigns(first:20,orderBy:{\"direction\":\"DESC\",\"field\":\"CREATED_AT\"})"
      }
    ],
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [
      (v0/*:: as any*/),
      (v2/*:: as any*/),
      (v1/*:: as any*/)
    ],
    "kind": "Operation",
    "name": "AttributionQuery",
    "selections": [
      {
        "alias": "firstTouch",
        "args": (v6/*:: as any*/),
        "concreteType": "AttributionReport",
        "kind": "LinkedField",
        "name": "attributionReport",
        "plural": false,
        "selections": (v23/*:: as any*/),
        "storageKey": null
      },
      {
        "alias": "lastTouch",
        "args": (v13/*:: as any*/),
        "concreteType": "AttributionReport",
        "kind": "LinkedField",
        "name": "attributionReport",
        "plural": false,
        "selections": (v23/*:: as any*/),
        "storageKey": null
      },
      {
        "alias": "linear",
        "args": (v14/*:: as any*/),
        "concreteType": "AttributionReport",
        "kind": "LinkedField",
        "name": "attributionReport",
        "plural": false,
        "selections": (v23/*:: as any*/),
        "storageKey": null
      },
      {
        "alias": "timeDecay",
        "args": (v15/*:: as any*/),
        "concreteType": "AttributionReport",
        "kind": "LinkedField",
        "name": "attributionReport",
        "plural": false,
        "selections": (v23/*:: as any*/),
        "storageKey": null
      },
      {
        "alias": "positionBased",
        "args": (v16/*:: as any*/),
        "concreteType": "AttributionReport",
        "kind": "LinkedField",
        "name": "attributionReport",
        "plural": false,
        "selections": (v23/*:: as any*/),
        "storageKey": null
      },
      {
        "alias": null,
        "args": (v17/*:: as any*/),
        "concreteType": "CampaignConnection",
        "kind": "LinkedField",
        "name": "campaigns",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "CampaignEdge",
            "kind": "LinkedField",
            "name": "edges",
            "plural": true,
            "selections": [
              {
                "alias": null,
                "args": null,
                "concreteType": "Campaign",
                "kind": "LinkedField",
                "name": "node",
                "plural": false,
                "selections": [
                  (v18/*:: as any*/),
                  (v19/*:: as any*/),
                  (v20/*:: as any*/),
                  {
                    "alias": null,
                    "args": (v21/*:: as any*/),
                    "concreteType": "CampaignMetric",
                    "kind": "LinkedField",
                    "name": "metrics",
                    "plural": true,
                    "selections": [
                      (v22/*:: as any*/),
                      (v18/*:: as any*/)
                    ],
                    "storageKey": null
                  }
                ],
                "storageKey": null
              }
            ],
            "storageKey": null
          }
        ],
        "storageKey": "campaigns(first:20,orderBy:{\"direction\":\"DESC\",\"field\":\"CREATED_AT\"})"
      }
    ]
  },
  "params": {
    "cacheID": "06572bedd542589aed429675ca6da2ec",
    "id": null,
    "metadata": {},
    "name": "AttributionQuery",
    "operationKind": "query",
    "text": "query AttributionQuery(\n  $from: Time!\n  $to: Time\n  $groupBy: AttributionDimension!\n) {\n  firstTouch: attributionReport(model: FIRST_TOUCH, from: $from, to: $to, groupBy: $groupBy) {\n    model\n    currency\n    from\n    to\n    rows {\n      source\n      medium\n      campaign\n      conversions\n      revenue\n    }\n    id\n  }\n  lastTouch: attributionReport(model: LAST_TOUCH, from: $from, to: $to, groupBy: $groupBy) {\n    model\n    currency\n    from\n    to\n    rows {\n      source\n      medium\n      campaign\n      conversions\n      revenue\n    }\n    id\n  }\n  linear: attributionReport(model: LINEAR, from: $from, to: $to, groupBy: $groupBy) {\n    model\n    currency\n    from\n    to\n    rows {\n      source\n      medium\n      campaign\n      conversions\n      revenue\n    }\n    id\n  }\n  timeDecay: attributionReport(model: TIME_DECAY, from: $from, to: $to, groupBy: $groupBy) {\n    model\n    currency\n    from\n    to\n    rows {\n      source\n      medium\n      campaign\n      conversions\n      revenue\n    }\n    id\n  }\n  positionBased: attributionReport(model: POSITION_BASED, from: $from, to: $to, groupBy: $groupBy) {\n    model\n    currency\n    from\n    to\n    rows {\n      source\n      medium\n      campaign\n      conversions\n      revenue\n    }\n    id\n  }\n  campaigns(first: 20, orderBy: {field: CREATED_AT, direction: DESC}) {\n    edges {\n      node {\n        id\n        platform\n        utmCampaign\n        metrics(from: $from, to: $to) {\n          cost\n          id\n        }\n      }\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "bcc76ca0a4c0a5ad7cefdab08521bde8";

export default node;
