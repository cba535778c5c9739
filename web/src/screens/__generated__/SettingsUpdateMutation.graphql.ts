/**
 * @generated SignedSource<<59569e6aee8022055cadab899107a86f>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type UpdateOrganizationInput = {
  allowedOrigins?: ReadonlyArray<string> | null | undefined;
  attributionWindowDays?: number | null | undefined;
  autoPublishThreshold?: number | null | undefined;
  currency?: string | null | undefined;
  dailyPostCap?: number | null | undefined;
  highValueThreshold?: number | null | undefined;
  name?: string | null | undefined;
  respectDnt?: boolean | null | undefined;
  ssoDomain?: string | null | undefined;
  timezone?: string | null | undefined;
};
export type SettingsUpdateMutation$variables = {
  input: UpdateOrganizationInput;
};
export type SettingsUpdateMutation$data = {
  readonly updateOrganization: {
    readonly allowedOrigins: ReadonlyArray<string> | null | undefined;
    readonly attributionWindowDays: number;
    readonly autoPublishThreshold: number;
    readonly currency: string;
    readonly dailyPostCap: number;
    readonly highValueThreshold: number;
    readonly id: string;
    readonly name: string;
    readonly respectDnt: boolean;
    readonly ssoDomain: string | null | undefined;
    readonly timezone: string;
  };
};
export type SettingsUpdateMutation = {
  response: SettingsUpdateMutation$data;
  variables: SettingsUpdateMutation$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "input"
  }
],
v1 = [
  {
    "alias": null,
    "args": [
      {
        "kind": "Variable",
        "name": "input",
        "variableName": "input"
      }
    ],
    "concreteType": "Organization",
    "kind": "LinkedField",
    "name": "updateOrganization",
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
        "name": "name",
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
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "respectDnt",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "allowedOrigins",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "dailyPostCap",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "autoPublishThreshold",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "highValueThreshold",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "ssoDomain",
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
    "name": "SettingsUpdateMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "SettingsUpdateMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "90a4beea7ec255ec63f89dffd76e1601",
    "id": null,
    "metadata": {},
    "name": "SettingsUpdateMutation",
    "operationKind": "mutation",
    "text": "mutation SettingsUpdateMutation(\n  $input: UpdateOrganizationInput!\n) {\n  updateOrganization(input: $input) {\n    id\n    name\n    currency\n    timezone\n    attributionWindowDays\n    respectDnt\n    allowedOrigins\n    dailyPostCap\n    autoPublishThreshold\n    highValueThreshold\n    ssoDomain\n  }\n}\n"
  }
};
})();

(node as any).hash = "541d07b538ec14a37e8ed34c364e92a3";

export default node;
