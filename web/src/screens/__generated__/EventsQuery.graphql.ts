/**
 * @generated SignedSource<<5e82207a85e22530c777f605652b9026>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type AttributionEventWhereInput = {
  and?: ReadonlyArray<AttributionEventWhereInput> | null | undefined;
  campaign?: string | null | undefined;
  campaignContains?: string | null | undefined;
  campaignContainsFold?: string | null | undefined;
  campaignEqualFold?: string | null | undefined;
  campaignGT?: string | null | undefined;
  campaignGTE?: string | null | undefined;
  campaignHasPrefix?: string | null | undefined;
  campaignHasSuffix?: string | null | undefined;
  campaignIn?: ReadonlyArray<string> | null | undefined;
  campaignIsNil?: boolean | null | undefined;
  campaignLT?: string | null | undefined;
  campaignLTE?: string | null | undefined;
  campaignNEQ?: string | null | undefined;
  campaignNotIn?: ReadonlyArray<string> | null | undefined;
  campaignNotNil?: boolean | null | undefined;
  content?: string | null | undefined;
  contentContains?: string | null | undefined;
  contentContainsFold?: string | null | undefined;
  contentEqualFold?: string | null | undefined;
  contentGT?: string | null | undefined;
  contentGTE?: string | null | undefined;
  contentHasPrefix?: string | null | undefined;
  contentHasSuffix?: string | null | undefined;
  contentIn?: ReadonlyArray<string> | null | undefined;
  contentIsNil?: boolean | null | undefined;
  contentLT?: string | null | undefined;
  contentLTE?: string | null | undefined;
  contentNEQ?: string | null | undefined;
  contentNotIn?: ReadonlyArray<string> | null | undefined;
  contentNotNil?: boolean | null | undefined;
  createdAt?: string | null | undefined;
  createdAtGT?: string | null | undefined;
  createdAtGTE?: string | null | undefined;
  createdAtIn?: ReadonlyArray<string> | null | undefined;
  createdAtLT?: string | null | undefined;
  createdAtLTE?: string | null | undefined;
  createdAtNEQ?: string | null | undefined;
  createdAtNotIn?: ReadonlyArray<string> | null | undefined;
  currency?: string | null | undefined;
  currencyContains?: string | null | undefined;
  currencyContainsFold?: string | null | undefined;
  currencyEqualFold?: string | null | undefined;
  currencyGT?: string | null | undefined;
  currencyGTE?: string | null | undefined;
  currencyHasPrefix?: string | null | undefined;
  currencyHasSuffix?: string | null | undefined;
  currencyIn?: ReadonlyArray<string> | null | undefined;
  currencyIsNil?: boolean | null | undefined;
  currencyLT?: string | null | undefined;
  currencyLTE?: string | null | undefined;
  currencyNEQ?: string | null | undefined;
  currencyNotIn?: ReadonlyArray<string> | null | undefined;
  currencyNotNil?: boolean | null | undefined;
  eventType?: string | null | undefined;
  eventTypeContains?: string | null | undefined;
  eventTypeContainsFold?: string | null | undefined;
  eventTypeEqualFold?: string | null | undefined;
  eventTypeGT?: string | null | undefined;
  eventTypeGTE?: string | null | undefined;
  eventTypeHasPrefix?: string | null | undefined;
  eventTypeHasSuffix?: string | null | undefined;
  eventTypeIn?: ReadonlyArray<string> | null | undefined;
  eventTypeLT?: string | null | undefined;
  eventTypeLTE?: string | null | undefined;
  eventTypeNEQ?: string | null | undefined;
  eventTypeNotIn?: ReadonlyArray<string> | null | undefined;
  fbclid?: string | null | undefined;
  fbclidContains?: string | null | undefined;
  fbclidContainsFold?: string | null | undefined;
  fbclidEqualFold?: string | null | undefined;
  fbclidGT?: string | null | undefined;
  fbclidGTE?: string | null | undefined;
  fbclidHasPrefix?: string | null | undefined;
  fbclidHasSuffix?: string | null | undefined;
  fbclidIn?: ReadonlyArray<string> | null | undefined;
  fbclidIsNil?: boolean | null | undefined;
  fbclidLT?: string | null | undefined;
  fbclidLTE?: string | null | undefined;
  fbclidNEQ?: string | null | undefined;
  fbclidNotIn?: ReadonlyArray<string> | null | undefined;
  fbclidNotNil?: boolean | null | undefined;
  gclid?: string | null | undefined;
  gclidContains?: string | null | undefined;
  gclidContainsFold?: string | null | undefined;
  gclidEqualFold?: string | null | undefined;
  gclidGT?: string | null | undefined;
  gclidGTE?: string | null | undefined;
  gclidHasPrefix?: string | null | undefined;
  gclidHasSuffix?: string | null | undefined;
  gclidIn?: ReadonlyArray<string> | null | undefined;
  gclidIsNil?: boolean | null | undefined;
  gclidLT?: string | null | undefined;
  gclidLTE?: string | null | undefined;
  gclidNEQ?: string | null | undefined;
  gclidNotIn?: ReadonlyArray<string> | null | undefined;
  gclidNotNil?: boolean | null | undefined;
  id?: string | null | undefined;
  idContainsFold?: string | null | undefined;
  idEqualFold?: string | null | undefined;
  idGT?: string | null | undefined;
  idGTE?: string | null | undefined;
  idIn?: ReadonlyArray<string> | null | undefined;
  idLT?: string | null | undefined;
  idLTE?: string | null | undefined;
  idNEQ?: string | null | undefined;
  idNotIn?: ReadonlyArray<string> | null | undefined;
  language?: string | null | undefined;
  languageContains?: string | null | undefined;
  languageContainsFold?: string | null | undefined;
  languageEqualFold?: string | null | undefined;
  languageGT?: string | null | undefined;
  languageGTE?: string | null | undefined;
  languageHasPrefix?: string | null | undefined;
  languageHasSuffix?: string | null | undefined;
  languageIn?: ReadonlyArray<string> | null | undefined;
  languageIsNil?: boolean | null | undefined;
  languageLT?: string | null | undefined;
  languageLTE?: string | null | undefined;
  languageNEQ?: string | null | undefined;
  languageNotIn?: ReadonlyArray<string> | null | undefined;
  languageNotNil?: boolean | null | undefined;
  medium?: string | null | undefined;
  mediumContains?: string | null | undefined;
  mediumContainsFold?: string | null | undefined;
  mediumEqualFold?: string | null | undefined;
  mediumGT?: string | null | undefined;
  mediumGTE?: string | null | undefined;
  mediumHasPrefix?: string | null | undefined;
  mediumHasSuffix?: string | null | undefined;
  mediumIn?: ReadonlyArray<string> | null | undefined;
  mediumIsNil?: boolean | null | undefined;
  mediumLT?: string | null | undefined;
  mediumLTE?: string | null | undefined;
  mediumNEQ?: string | null | undefined;
  mediumNotIn?: ReadonlyArray<string> | null | undefined;
  mediumNotNil?: boolean | null | undefined;
  not?: AttributionEventWhereInput | null | undefined;
  or?: ReadonlyArray<AttributionEventWhereInput> | null | undefined;
  referrer?: string | null | undefined;
  referrerContains?: string | null | undefined;
  referrerContainsFold?: string | null | undefined;
  referrerEqualFold?: string | null | undefined;
  referrerGT?: string | null | undefined;
  referrerGTE?: string | null | undefined;
  referrerHasPrefix?: string | null | undefined;
  referrerHasSuffix?: string | null | undefined;
  referrerIn?: ReadonlyArray<string> | null | undefined;
  referrerIsNil?: boolean | null | undefined;
  referrerLT?: string | null | undefined;
  referrerLTE?: string | null | undefined;
  referrerNEQ?: string | null | undefined;
  referrerNotIn?: ReadonlyArray<string> | null | undefined;
  referrerNotNil?: boolean | null | undefined;
  screen?: string | null | undefined;
  screenContains?: string | null | undefined;
  screenContainsFold?: string | null | undefined;
  screenEqualFold?: string | null | undefined;
  screenGT?: string | null | undefined;
  screenGTE?: string | null | undefined;
  screenHasPrefix?: string | null | undefined;
  screenHasSuffix?: string | null | undefined;
  screenIn?: ReadonlyArray<string> | null | undefined;
  screenIsNil?: boolean | null | undefined;
  screenLT?: string | null | undefined;
  screenLTE?: string | null | undefined;
  screenNEQ?: string | null | undefined;
  screenNotIn?: ReadonlyArray<string> | null | undefined;
  screenNotNil?: boolean | null | undefined;
  sessionID?: string | null | undefined;
  sessionIDContains?: string | null | undefined;
  sessionIDContainsFold?: string | null | undefined;
  sessionIDEqualFold?: string | null | undefined;
  sessionIDGT?: string | null | undefined;
  sessionIDGTE?: string | null | undefined;
  sessionIDHasPrefix?: string | null | undefined;
  sessionIDHasSuffix?: string | null | undefined;
  sessionIDIn?: ReadonlyArray<string> | null | undefined;
  sessionIDIsNil?: boolean | null | undefined;
  sessionIDLT?: string | null | undefined;
  sessionIDLTE?: string | null | undefined;
  sessionIDNEQ?: string | null | undefined;
  sessionIDNotIn?: ReadonlyArray<string> | null | undefined;
  sessionIDNotNil?: boolean | null | undefined;
  source?: string | null | undefined;
  sourceContains?: string | null | undefined;
  sourceContainsFold?: string | null | undefined;
  sourceEqualFold?: string | null | undefined;
  sourceGT?: string | null | undefined;
  sourceGTE?: string | null | undefined;
  sourceHasPrefix?: string | null | undefined;
  sourceHasSuffix?: string | null | undefined;
  sourceIn?: ReadonlyArray<string> | null | undefined;
  sourceIsNil?: boolean | null | undefined;
  sourceLT?: string | null | undefined;
  sourceLTE?: string | null | undefined;
  sourceNEQ?: string | null | undefined;
  sourceNotIn?: ReadonlyArray<string> | null | undefined;
  sourceNotNil?: boolean | null | undefined;
  term?: string | null | undefined;
  termContains?: string | null | undefined;
  termContainsFold?: string | null | undefined;
  termEqualFold?: string | null | undefined;
  termGT?: string | null | undefined;
  termGTE?: string | null | undefined;
  termHasPrefix?: string | null | undefined;
  termHasSuffix?: string | null | undefined;
  termIn?: ReadonlyArray<string> | null | undefined;
  termIsNil?: boolean | null | undefined;
  termLT?: string | null | undefined;
  termLTE?: string | null | undefined;
  termNEQ?: string | null | undefined;
  termNotIn?: ReadonlyArray<string> | null | undefined;
  termNotNil?: boolean | null | undefined;
  title?: string | null | undefined;
  titleContains?: string | null | undefined;
  titleContainsFold?: string | null | undefined;
  titleEqualFold?: string | null | undefined;
  titleGT?: string | null | undefined;
  titleGTE?: string | null | undefined;
  titleHasPrefix?: string | null | undefined;
  titleHasSuffix?: string | null | undefined;
  titleIn?: ReadonlyArray<string> | null | undefined;
  titleIsNil?: boolean | null | undefined;
  titleLT?: string | null | undefined;
  titleLTE?: string | null | undefined;
  titleNEQ?: string | null | undefined;
  titleNotIn?: ReadonlyArray<string> | null | undefined;
  titleNotNil?: boolean | null | undefined;
  url?: string | null | undefined;
  urlContains?: string | null | undefined;
  urlContainsFold?: string | null | undefined;
  urlEqualFold?: string | null | undefined;
  urlGT?: string | null | undefined;
  urlGTE?: string | null | undefined;
  urlHasPrefix?: string | null | undefined;
  urlHasSuffix?: string | null | undefined;
  urlIn?: ReadonlyArray<string> | null | undefined;
  urlIsNil?: boolean | null | undefined;
  urlLT?: string | null | undefined;
  urlLTE?: string | null | undefined;
  urlNEQ?: string | null | undefined;
  urlNotIn?: ReadonlyArray<string> | null | undefined;
  urlNotNil?: boolean | null | undefined;
  userID?: string | null | undefined;
  userIDContains?: string | null | undefined;
  userIDContainsFold?: string | null | undefined;
  userIDEqualFold?: string | null | undefined;
  userIDGT?: string | null | undefined;
  userIDGTE?: string | null | undefined;
  userIDHasPrefix?: string | null | undefined;
  userIDHasSuffix?: string | null | undefined;
  userIDIn?: ReadonlyArray<string> | null | undefined;
  userIDIsNil?: boolean | null | undefined;
  userIDLT?: string | null | undefined;
  userIDLTE?: string | null | undefined;
  userIDNEQ?: string | null | undefined;
  userIDNotIn?: ReadonlyArray<string> | null | undefined;
  userIDNotNil?: boolean | null | undefined;
  visitorID?: string | null | undefined;
  visitorIDContains?: string | null | undefined;
  visitorIDContainsFold?: string | null | undefined;
  visitorIDEqualFold?: string | null | undefined;
  visitorIDGT?: string | null | undefined;
  visitorIDGTE?: string | null | undefined;
  visitorIDHasPrefix?: string | null | undefined;
  visitorIDHasSuffix?: string | null | undefined;
  visitorIDIn?: ReadonlyArray<string> | null | undefined;
  visitorIDLT?: string | null | undefined;
  visitorIDLTE?: string | null | undefined;
  visitorIDNEQ?: string | null | undefined;
  visitorIDNotIn?: ReadonlyArray<string> | null | undefined;
};
export type EventsQuery$variables = {
  where?: AttributionEventWhereInput | null | undefined;
};
export type EventsQuery$data = {
  readonly attributionEvents: {
    readonly edges: ReadonlyArray<{
      readonly node: {
        readonly campaign: string | null | undefined;
        readonly createdAt: string;
        readonly currency: string | null | undefined;
        readonly eventType: string;
        readonly id: string;
        readonly medium: string | null | undefined;
        readonly source: string | null | undefined;
        readonly url: string | null | undefined;
        readonly userId: string | null | undefined;
        readonly value: number | null | undefined;
        readonly visitorId: string;
      } | null | undefined;
    } | null | undefined> | null | undefined;
    readonly totalCount: number;
  };
};
export type EventsQuery = {
  response: EventsQuery$data;
  variables: EventsQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "where"
  }
],
v1 = {
  "kind": "Literal",
  "name": "orderBy",
  "value": {
    "direction": "DESC",
    "field": "CREATED_AT"
  }
},
v2 = {
  "kind": "Variable",
  "name": "where",
  "variableName": "where"
},
v3 = [
  {
    "alias": null,
    "args": null,
    "kind": "ScalarField",
    "name": "totalCount",
    "storageKey": null
  },
  {
    "alias": null,
    "args": null,
    "concreteType": "AttributionEventEdge",
    "kind": "LinkedField",
    "name": "edges",
    "plural": true,
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "AttributionEvent",
        "kind": "LinkedField",
        "name": "node",
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
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "visitorId",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "userId",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "value",
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
            "name": "url",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "createdAt",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "__typename",
            "storageKey": null
          }
        ],
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "cursor",
        "storageKey": null
      }
    ],
    "storageKey": null
  },
  {
    "alias": null,
    "args": null,
    "concreteType": "PageInfo",
    "kind": "LinkedField",
    "name": "pageInfo",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "endCursor",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "hasNextPage",
        "storageKey": null
      }
    ],
    "storageKey": null
  }
],
v4 = [
  {
    "kind": "Literal",
    "name": "first",
    "value": 50
  },
  (v1/*:: as any*/),
  (v2/*:: as any*/)
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "EventsQuery",
    "selections": [
      {
        "alias": "attributionEvents",
        "args": [
          (v1/*:: as any*/),
          (v2/*:: as any*/)
        ],
        "concreteType": "AttributionEventConnection",
        "kind": "LinkedField",
        "name": "__Events_attributionEvents_connection",
        "plural": false,
        "selections": (v3/*:: as any*/),
        "storageKey": null
      }
    ],
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "EventsQuery",
    "selections": [
      {
        "alias": null,
        "args": (v4/*:: as any*/),
        "concreteType": "AttributionEventConnection",
        "kind": "LinkedField",
        "name": "attributionEvents",
        "plural": false,
        "selections": (v3/*:: as any*/),
        "storageKey": null
      },
      {
        "alias": null,
        "args": (v4/*:: as any*/),
        "filters": [
          "where",
          "orderBy"
        ],
        "handle": "connection",
        "key": "Events_attributionEvents",
        "kind": "LinkedHandle",
        "name": "attributionEvents"
      }
    ]
  },
  "params": {
    "cacheID": "3b41986f2bd76e15f4fea781b86a4eb2",
    "id": null,
    "metadata": {
      "connection": [
        {
          "count": null,
          "cursor": null,
          "direction": "forward",
          "path": [
            "attributionEvents"
          ]
        }
      ]
    },
    "name": "EventsQuery",
    "operationKind": "query",
    "text": "query EventsQuery(\n  $where: AttributionEventWhereInput\n) {\n  attributionEvents(first: 50, where: $where, orderBy: {field: CREATED_AT, direction: DESC}) {\n    totalCount\n    edges {\n      node {\n        id\n        eventType\n        visitorId\n        userId\n        value\n        currency\n        source\n        medium\n        campaign\n        url\n        createdAt\n        __typename\n      }\n      cursor\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "9a1d9971762dded56798af14726846bd";

export default node;
