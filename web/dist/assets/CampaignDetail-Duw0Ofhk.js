import{a as e,c as t,i as n,n as r,r as i,t as a}from"./index-VWOusZKY.js";import{a as o}from"./Field-Cb1iMekh.js";import{t as s}from"./Chart-CGdkuZsh.js";import{a as c,c as l,i as u,o as d,r as f,s as p}from"./format-BYSptvHr.js";import{CampaignActions as m,platformLabels as h,useCampaignUpdates as g}from"./Campaigns-De8mZWDZ.js";n();var _=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`id`}],t=[{kind:`Variable`,name:`id`,variableName:`id`}],n={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},r={alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},i={alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},a={alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},o={alias:null,args:null,kind:`ScalarField`,name:`externalId`,storageKey:null},s={alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},c={alias:null,args:null,kind:`ScalarField`,name:`utmCampaign`,storageKey:null},l={alias:null,args:null,kind:`ScalarField`,name:`metricsSyncedAt`,storageKey:null},u={alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},d={alias:null,args:null,kind:`ScalarField`,name:`impressions`,storageKey:null},f={alias:null,args:null,kind:`ScalarField`,name:`clicks`,storageKey:null},p={alias:null,args:null,kind:`ScalarField`,name:`conversions`,storageKey:null},m={alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[d,f,p,{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`ctr`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`cpa`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null},h={alias:null,args:null,kind:`ScalarField`,name:`date`,storageKey:null},g={alias:null,args:null,kind:`ScalarField`,name:`cost`,storageKey:null},_={alias:null,args:null,kind:`ScalarField`,name:`conversionValue`,storageKey:null};return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`CampaignDetailQuery`,selections:[{alias:null,args:t,concreteType:null,kind:`LinkedField`,name:`node`,plural:!1,selections:[{kind:`InlineFragment`,selections:[n,r,i,a,o,s,c,l,u,m,{alias:null,args:null,concreteType:`CampaignMetric`,kind:`LinkedField`,name:`metrics`,plural:!0,selections:[h,d,f,p,g,_],storageKey:null}],type:`Campaign`,abstractKey:null}],storageKey:null}],type:`Query`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`CampaignDetailQuery`,selections:[{alias:null,args:t,concreteType:null,kind:`LinkedField`,name:`node`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`__typename`,storageKey:null},n,{kind:`InlineFragment`,selections:[r,i,a,o,s,c,l,u,m,{alias:null,args:null,concreteType:`CampaignMetric`,kind:`LinkedField`,name:`metrics`,plural:!0,selections:[h,d,f,p,g,_,n],storageKey:null}],type:`Campaign`,abstractKey:null}],storageKey:null}]},params:{cacheID:`870bd8336be9e6a9f2abf23831fdddba`,id:null,metadata:{},name:`CampaignDetailQuery`,operationKind:`query`,text:`query CampaignDetailQuery(
  $id: ID!
) {
  node(id: $id) {
    __typename
    ... on Campaign {
      id
      name
      platform
      status
      externalId
      mock
      utmCampaign
      metricsSyncedAt
      budget {
        daily
        currency
      }
      performance {
        impressions
        clicks
        conversions
        spend
        revenue
        ctr
        cpa
        roas
        roi
      }
      metrics {
        date
        impressions
        clicks
        conversions
        cost
        conversionValue
        id
      }
    }
    id
  }
}
`}}})();_.hash=`6ed0bbce4e0070e9529009607e8cf9d5`;var v=i(),y=t();function b({params:t}){let{organization:n,role:i}=a(),b=(0,v.useLazyLoadQuery)(_,{id:t.id??``},{fetchPolicy:`store-and-network`});g();let x=b.node;if(!x?.id)return(0,y.jsxs)(`div`,{className:`panel`,children:[(0,y.jsx)(`h1`,{children:`Campaign not found`}),(0,y.jsxs)(`p`,{children:[`It does not exist or belongs to another organization. `,(0,y.jsx)(r,{to:`/campaigns`,children:`Back to the campaigns`}),`.`]})]});let S=n.timezone,C=e=>c(e,x.budget.currency),w=x.performance,T=x.metrics??[];return(0,y.jsxs)(y.Fragment,{children:[(0,y.jsxs)(`div`,{className:`screen-head`,children:[(0,y.jsx)(`h1`,{children:x.name}),o(i,`campaigns.manage`)&&(0,y.jsx)(m,{id:x.id,name:x.name,status:x.status})]}),(0,y.jsxs)(`p`,{className:`muted`,children:[h[x.platform]??x.platform,` · `,(0,y.jsx)(`span`,{className:`status status-${x.status}`,children:x.status}),` · utm_campaign`,` `,(0,y.jsx)(`code`,{children:x.utmCampaign}),` · `,C(x.budget.daily),` a day`,x.mock?` · mock mode`:``,` · metrics synced`,` `,f(x.metricsSyncedAt,S)]}),(0,y.jsx)(`section`,{className:`kpis`,"aria-label":`Performance`,children:[[`Spend`,C(w.spend)],[`Revenue`,C(w.revenue)],[`ROAS`,d(w.roas)],[`ROI`,l(w.roi)],[`Clicks`,p(w.clicks)],[`CTR`,l(w.ctr)],[`Conversions`,p(w.conversions)],[`Cost per conversion`,w.cpa==null?`—`:C(w.cpa)]].map(([e,t])=>(0,y.jsxs)(`div`,{className:`kpi`,children:[(0,y.jsx)(`div`,{className:`kpi-label`,children:e}),(0,y.jsx)(`div`,{className:`kpi-value`,children:t})]},e))}),(0,y.jsxs)(`section`,{className:`panel`,"aria-labelledby":`metrics-title`,children:[(0,y.jsx)(`h2`,{id:`metrics-title`,children:`Daily metrics, last 30 days`}),T.length===0?(0,y.jsx)(e,{children:`No metrics synced yet.`}):(0,y.jsxs)(y.Fragment,{children:[(0,y.jsx)(s,{label:`Cost and conversion value per day of ${x.name}`,days:T.map(e=>e.date),timeZone:`UTC`,series:[{label:`Cost`,values:T.map(e=>e.cost),color:`#b4461f`,format:C},{label:`Conversion value`,values:T.map(e=>e.conversionValue),color:`#1f7a4d`,format:C}]}),(0,y.jsx)(`div`,{className:`table-wrap`,children:(0,y.jsxs)(`table`,{className:`data`,children:[(0,y.jsx)(`thead`,{children:(0,y.jsxs)(`tr`,{children:[(0,y.jsx)(`th`,{scope:`col`,children:`Day (UTC, as the platform reports)`}),(0,y.jsx)(`th`,{scope:`col`,className:`num`,children:`Impressions`}),(0,y.jsx)(`th`,{scope:`col`,className:`num`,children:`Clicks`}),(0,y.jsx)(`th`,{scope:`col`,className:`num`,children:`Conversions`}),(0,y.jsx)(`th`,{scope:`col`,className:`num`,children:`Cost`}),(0,y.jsx)(`th`,{scope:`col`,className:`num`,children:`Conversion value`})]})}),(0,y.jsx)(`tbody`,{children:[...T].reverse().map(e=>(0,y.jsxs)(`tr`,{children:[(0,y.jsx)(`th`,{scope:`row`,children:u(e.date,`UTC`)}),(0,y.jsx)(`td`,{className:`num`,children:p(e.impressions)}),(0,y.jsx)(`td`,{className:`num`,children:p(e.clicks)}),(0,y.jsx)(`td`,{className:`num`,children:p(e.conversions)}),(0,y.jsx)(`td`,{className:`num`,children:C(e.cost)}),(0,y.jsx)(`td`,{className:`num`,children:C(e.conversionValue)})]},e.date))})]})})]})]})]})}export{b as default};