import{a as e,c as t,i as n,n as r,r as i,t as a}from"./index-DR5gh50b.js";import{a as o}from"./Field-DZt-2-dG.js";import{t as s}from"./Chart-C2fAe1ND.js";import{a as c,c as l,i as u,o as d,r as f,s as p}from"./format-BYSptvHr.js";import{CampaignActions as m,platformLabels as h,useCampaignUpdates as g}from"./Campaigns-Dv4-4GW9.js";import{t as _}from"./TableWrap-3Wnslhnk.js";n();var v=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`id`}],t=[{kind:`Variable`,name:`id`,variableName:`id`}],n={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},r={alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},i={alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},a={alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},o={alias:null,args:null,kind:`ScalarField`,name:`externalId`,storageKey:null},s={alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},c={alias:null,args:null,kind:`ScalarField`,name:`utmCampaign`,storageKey:null},l={alias:null,args:null,kind:`ScalarField`,name:`metricsSyncedAt`,storageKey:null},u={alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},d={alias:null,args:null,kind:`ScalarField`,name:`impressions`,storageKey:null},f={alias:null,args:null,kind:`ScalarField`,name:`clicks`,storageKey:null},p={alias:null,args:null,kind:`ScalarField`,name:`conversions`,storageKey:null},m={alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[d,f,p,{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`ctr`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`cpa`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null},h={alias:null,args:null,kind:`ScalarField`,name:`date`,storageKey:null},g={alias:null,args:null,kind:`ScalarField`,name:`cost`,storageKey:null},_={alias:null,args:null,kind:`ScalarField`,name:`conversionValue`,storageKey:null};return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`CampaignDetailQuery`,selections:[{alias:null,args:t,concreteType:null,kind:`LinkedField`,name:`node`,plural:!1,selections:[{kind:`InlineFragment`,selections:[n,r,i,a,o,s,c,l,u,m,{alias:null,args:null,concreteType:`CampaignMetric`,kind:`LinkedField`,name:`metrics`,plural:!0,selections:[h,d,f,p,g,_],storageKey:null}],type:`Campaign`,abstractKey:null}],storageKey:null}],type:`Query`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`CampaignDetailQuery`,selections:[{alias:null,args:t,concreteType:null,kind:`LinkedField`,name:`node`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`__typename`,storageKey:null},n,{kind:`InlineFragment`,selections:[r,i,a,o,s,c,l,u,m,{alias:null,args:null,concreteType:`CampaignMetric`,kind:`LinkedField`,name:`metrics`,plural:!0,selections:[h,d,f,p,g,_,n],storageKey:null}],type:`Campaign`,abstractKey:null}],storageKey:null}]},params:{cacheID:`870bd8336be9e6a9f2abf23831fdddba`,id:null,metadata:{},name:`CampaignDetailQuery`,operationKind:`query`,text:`query CampaignDetailQuery(
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
`}}})();v.hash=`6ed0bbce4e0070e9529009607e8cf9d5`;var y=i(),b=t();function x({params:t}){let{organization:n,role:i}=a(),x=(0,y.useLazyLoadQuery)(v,{id:t.id??``},{fetchPolicy:`store-and-network`});g();let S=x.node;if(!S?.id)return(0,b.jsxs)(`div`,{className:`panel`,children:[(0,b.jsx)(`h1`,{children:`Campaign not found`}),(0,b.jsxs)(`p`,{children:[`It does not exist or belongs to another organization. `,(0,b.jsx)(r,{to:`/campaigns`,children:`Back to the campaigns`}),`.`]})]});let C=n.timezone,w=e=>c(e,S.budget.currency),T=S.performance,E=S.metrics??[];return(0,b.jsxs)(b.Fragment,{children:[(0,b.jsxs)(`div`,{className:`screen-head`,children:[(0,b.jsx)(`h1`,{children:S.name}),o(i,`campaigns.manage`)&&(0,b.jsx)(m,{id:S.id,name:S.name,status:S.status})]}),(0,b.jsxs)(`p`,{className:`muted`,children:[h[S.platform]??S.platform,` · `,(0,b.jsx)(`span`,{className:`status status-${S.status}`,children:S.status}),` · utm_campaign`,` `,(0,b.jsx)(`code`,{children:S.utmCampaign}),` · `,w(S.budget.daily),` a day`,S.mock?` · mock mode`:``,` · metrics synced`,` `,f(S.metricsSyncedAt,C)]}),(0,b.jsx)(`section`,{className:`kpis`,"aria-label":`Performance`,children:[[`Spend`,w(T.spend)],[`Revenue`,w(T.revenue)],[`ROAS`,d(T.roas)],[`ROI`,l(T.roi)],[`Clicks`,p(T.clicks)],[`CTR`,l(T.ctr)],[`Conversions`,p(T.conversions)],[`Cost per conversion`,T.cpa==null?`—`:w(T.cpa)]].map(([e,t])=>(0,b.jsxs)(`div`,{className:`kpi`,children:[(0,b.jsx)(`div`,{className:`kpi-label`,children:e}),(0,b.jsx)(`div`,{className:`kpi-value`,children:t})]},e))}),(0,b.jsxs)(`section`,{className:`panel`,"aria-labelledby":`metrics-title`,children:[(0,b.jsx)(`h2`,{id:`metrics-title`,children:`Daily metrics, last 30 days`}),E.length===0?(0,b.jsx)(e,{children:`No metrics synced yet.`}):(0,b.jsxs)(b.Fragment,{children:[(0,b.jsx)(s,{label:`Cost and conversion value per day of ${S.name}`,days:E.map(e=>e.date),timeZone:`UTC`,series:[{label:`Cost`,values:E.map(e=>e.cost),color:`#b4461f`,format:w},{label:`Conversion value`,values:E.map(e=>e.conversionValue),color:`#1f7a4d`,format:w}]}),(0,b.jsx)(_,{label:`Daily metrics`,children:(0,b.jsxs)(`table`,{className:`data`,children:[(0,b.jsx)(`thead`,{children:(0,b.jsxs)(`tr`,{children:[(0,b.jsx)(`th`,{scope:`col`,children:`Day (UTC, as the platform reports)`}),(0,b.jsx)(`th`,{scope:`col`,className:`num`,children:`Impressions`}),(0,b.jsx)(`th`,{scope:`col`,className:`num`,children:`Clicks`}),(0,b.jsx)(`th`,{scope:`col`,className:`num`,children:`Conversions`}),(0,b.jsx)(`th`,{scope:`col`,className:`num`,children:`Cost`}),(0,b.jsx)(`th`,{scope:`col`,className:`num`,children:`Conversion value`})]})}),(0,b.jsx)(`tbody`,{children:[...E].reverse().map(e=>(0,b.jsxs)(`tr`,{children:[(0,b.jsx)(`th`,{scope:`row`,children:u(e.date,`UTC`)}),(0,b.jsx)(`td`,{className:`num`,children:p(e.impressions)}),(0,b.jsx)(`td`,{className:`num`,children:p(e.clicks)}),(0,b.jsx)(`td`,{className:`num`,children:p(e.conversions)}),(0,b.jsx)(`td`,{className:`num`,children:w(e.cost)}),(0,b.jsx)(`td`,{className:`num`,children:w(e.conversionValue)})]},e.date))})]})})]})]})]})}export{x as default};