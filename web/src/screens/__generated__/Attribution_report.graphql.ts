/**
 * @generated SignedSource<<8a9d9cecc1bbd04405c395e2edc76d31>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type AttributionModel = "FIRST_TOUCH" | "LAST_TOUCH" | "LINEAR" | "POSITION_BASED" | "TIME_DECAY" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type Attribution_report$data = {
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
  readonly " $fragmentType": "Attribution_report";
};
export type Attribution_report$key = {
  readonly " $data"?: Attribution_report$data;
  readonly " $fragmentSpreads": FragmentRefs<"Attribution_report">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "Attribution_report",
  "selections": [
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "model",
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
      "name": "from",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "to",
      "storageKey": null
    },
    {
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
    }
  ],
  "type": "AttributionReport",
  "abstractKey": null
};

(node as any).hash = "d874d4d879e0f2294102519527cfb844";

export default node;
