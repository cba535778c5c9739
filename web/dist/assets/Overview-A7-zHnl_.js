import{a as e,c as t,i as n,p as r,r as i,t as a}from"./index-DR5gh50b.js";import{t as o}from"./Chart-C2fAe1ND.js";import{a as s,c,n as l,o as u,r as d,s as f,t as p}from"./format-BYSptvHr.js";import{a as m,n as h,t as g}from"./RangePicker-DfXe_b_6.js";n();var _=(function(){var e={alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},t={alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},n={alias:null,args:null,kind:`ScalarField`,name:`conversions`,storageKey:null},r={alias:null,args:null,kind:`ScalarField`,name:`visitors`,storageKey:null};return{argumentDefinitions:[],kind:`Fragment`,metadata:null,name:`Overview_dashboard`,selections:[{alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`from`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`to`,storageKey:null},e,{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null},t,{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`averageRoas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`conversionRate`,storageKey:null},n,r,{alias:null,args:null,kind:`ScalarField`,name:`activeCampaigns`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`updatedAt`,storageKey:null},{alias:null,args:null,concreteType:`DashboardPoint`,kind:`LinkedField`,name:`series`,plural:!0,selections:[{alias:null,args:null,kind:`ScalarField`,name:`date`,storageKey:null},e,t,r,n],storageKey:null},{alias:null,args:null,concreteType:`DashboardSource`,kind:`LinkedField`,name:`topSources`,plural:!0,selections:[{alias:null,args:null,kind:`ScalarField`,name:`source`,storageKey:null},e,n],storageKey:null}],type:`Dashboard`,abstractKey:null}})();_.hash=`25e33ab1e0b350a6f91fa0fb06dc553a`;var v=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`from`},{defaultValue:null,kind:`LocalArgument`,name:`to`}],t=[{kind:`Variable`,name:`from`,variableName:`from`},{kind:`Variable`,name:`to`,variableName:`to`}],n={alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},r={alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},i={alias:null,args:null,kind:`ScalarField`,name:`conversions`,storageKey:null},a={alias:null,args:null,kind:`ScalarField`,name:`visitors`,storageKey:null};return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`OverviewSubscription`,selections:[{alias:null,args:t,concreteType:`Dashboard`,kind:`LinkedField`,name:`dashboardUpdated`,plural:!1,selections:[{args:null,kind:`FragmentSpread`,name:`Overview_dashboard`}],storageKey:null}],type:`Subscription`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`OverviewSubscription`,selections:[{alias:null,args:t,concreteType:`Dashboard`,kind:`LinkedField`,name:`dashboardUpdated`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`from`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`to`,storageKey:null},n,{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null},r,{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`averageRoas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`conversionRate`,storageKey:null},i,a,{alias:null,args:null,kind:`ScalarField`,name:`activeCampaigns`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`updatedAt`,storageKey:null},{alias:null,args:null,concreteType:`DashboardPoint`,kind:`LinkedField`,name:`series`,plural:!0,selections:[{alias:null,args:null,kind:`ScalarField`,name:`date`,storageKey:null},n,r,a,i],storageKey:null},{alias:null,args:null,concreteType:`DashboardSource`,kind:`LinkedField`,name:`topSources`,plural:!0,selections:[{alias:null,args:null,kind:`ScalarField`,name:`source`,storageKey:null},n,i],storageKey:null}],storageKey:null}]},params:{cacheID:`1b730e244455997a8c7026ecbbf4eee1`,id:null,metadata:{},name:`OverviewSubscription`,operationKind:`subscription`,text:`subscription OverviewSubscription(
  $from: Time!
  $to: Time
) {
  dashboardUpdated(from: $from, to: $to) {
    ...Overview_dashboard
    id
  }
}

fragment Overview_dashboard on Dashboard {
  id
  from
  to
  revenue
  currency
  spend
  roas
  averageRoas
  conversionRate
  conversions
  visitors
  activeCampaigns
  updatedAt
  series {
    date
    revenue
    spend
    visitors
    conversions
  }
  topSources {
    source
    revenue
    conversions
  }
}
`}}})();v.hash=`5a3b75eba9983f147f6e59adc1373a40`;var y=(function(){var e={defaultValue:null,kind:`LocalArgument`,name:`from`},t={defaultValue:null,kind:`LocalArgument`,name:`previousFrom`},n={defaultValue:null,kind:`LocalArgument`,name:`previousTo`},r={defaultValue:null,kind:`LocalArgument`,name:`to`},i=[{kind:`Variable`,name:`from`,variableName:`from`},{kind:`Variable`,name:`to`,variableName:`to`}],a=[{kind:`Variable`,name:`from`,variableName:`previousFrom`},{kind:`Variable`,name:`to`,variableName:`previousTo`}],o={alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},s={alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},c={alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},l={alias:null,args:null,kind:`ScalarField`,name:`conversionRate`,storageKey:null},u={alias:null,args:null,kind:`ScalarField`,name:`visitors`,storageKey:null},d={alias:null,args:null,kind:`ScalarField`,name:`conversions`,storageKey:null},f={alias:null,args:null,kind:`ScalarField`,name:`activeCampaigns`,storageKey:null},p={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null};return{fragment:{argumentDefinitions:[e,t,n,r],kind:`Fragment`,metadata:null,name:`OverviewQuery`,selections:[{alias:null,args:i,concreteType:`Dashboard`,kind:`LinkedField`,name:`dashboard`,plural:!1,selections:[{args:null,kind:`FragmentSpread`,name:`Overview_dashboard`}],storageKey:null},{alias:`previous`,args:a,concreteType:`Dashboard`,kind:`LinkedField`,name:`dashboard`,plural:!1,selections:[o,s,c,l,u,d,f],storageKey:null}],type:`Query`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[e,r,t,n],kind:`Operation`,name:`OverviewQuery`,selections:[{alias:null,args:i,concreteType:`Dashboard`,kind:`LinkedField`,name:`dashboard`,plural:!1,selections:[p,{alias:null,args:null,kind:`ScalarField`,name:`from`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`to`,storageKey:null},o,{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null},s,c,{alias:null,args:null,kind:`ScalarField`,name:`averageRoas`,storageKey:null},l,d,u,f,{alias:null,args:null,kind:`ScalarField`,name:`updatedAt`,storageKey:null},{alias:null,args:null,concreteType:`DashboardPoint`,kind:`LinkedField`,name:`series`,plural:!0,selections:[{alias:null,args:null,kind:`ScalarField`,name:`date`,storageKey:null},o,s,u,d],storageKey:null},{alias:null,args:null,concreteType:`DashboardSource`,kind:`LinkedField`,name:`topSources`,plural:!0,selections:[{alias:null,args:null,kind:`ScalarField`,name:`source`,storageKey:null},o,d],storageKey:null}],storageKey:null},{alias:`previous`,args:a,concreteType:`Dashboard`,kind:`LinkedField`,name:`dashboard`,plural:!1,selections:[o,s,c,l,u,d,f,p],storageKey:null}]},params:{cacheID:`de6df8df89ab2be1ce8fad30ed79f6c3`,id:null,metadata:{},name:`OverviewQuery`,operationKind:`query`,text:`query OverviewQuery(
  $from: Time!
  $to: Time
  $previousFrom: Time!
  $previousTo: Time!
) {
  dashboard(from: $from, to: $to) {
    ...Overview_dashboard
    id
  }
  previous: dashboard(from: $previousFrom, to: $previousTo) {
    revenue
    spend
    roas
    conversionRate
    visitors
    conversions
    activeCampaigns
    id
  }
}

fragment Overview_dashboard on Dashboard {
  id
  from
  to
  revenue
  currency
  spend
  roas
  averageRoas
  conversionRate
  conversions
  visitors
  activeCampaigns
  updatedAt
  series {
    date
    revenue
    spend
    visitors
    conversions
  }
  topSources {
    source
    revenue
    conversions
  }
}
`}}})();y.hash=`125aa3d4b5a3e9775778c9ce57524ae9`;var b=r(),x=i(),S=t();function C({id:e,label:t,value:n,previous:r,format:i,higherIsBetter:a=!0}){let o=p(n,r),s=o==null||o===0?`flat`:o>0===a?`good`:`bad`;return(0,S.jsxs)(`div`,{className:`kpi`,"data-testid":`kpi-${e}`,children:[(0,S.jsx)(`div`,{className:`kpi-label`,children:t}),(0,S.jsx)(`div`,{className:`kpi-value`,"data-value":n??``,children:i(n)}),(0,S.jsxs)(`div`,{className:`kpi-change ${s}`,children:[(0,S.jsx)(`span`,{"aria-hidden":`true`,children:o==null||o===0?``:o>0?`▲ `:`▼ `}),l(o),(0,S.jsx)(`span`,{className:`visually-hidden`,children:` against the previous period`})]})]})}function w(){let{organization:e}=a(),[t,n]=h(),r=m(t,e.timezone),i=m({kind:`last`,days:30},e.timezone),o=r??i;return(0,S.jsxs)(S.Fragment,{children:[(0,S.jsxs)(`div`,{className:`screen-head`,children:[(0,S.jsx)(`h1`,{children:`Overview`}),(0,S.jsx)(g,{choice:t,onChange:n,timeZone:e.timezone,invalid:!r})]}),(0,S.jsx)(T,{from:o.from,to:o.to,previousFrom:o.previousFrom,previousTo:o.previousTo})]})}function T({from:e,to:t,previousFrom:n,previousTo:r}){let i=(0,x.useLazyLoadQuery)(y,{from:e,to:t,previousFrom:n,previousTo:r},{fetchPolicy:`store-and-network`});return E(e,t),(0,S.jsx)(D,{dashboard:i.dashboard,previous:i.previous})}function E(e,t){let n=(0,b.useMemo)(()=>({subscription:v,variables:{from:e,to:t}}),[e,t]);(0,x.useSubscription)(n)}function D({dashboard:t,previous:n}){let{organization:r}=a(),i=(0,x.useFragment)(_,t),l=e=>e==null?`—`:s(e,i.currency),p=e=>e==null?`—`:f(e),m=r.timezone;return(0,S.jsxs)(S.Fragment,{children:[(0,S.jsxs)(`p`,{className:`range-note`,"data-testid":`range`,"data-from":i.from,"data-to":i.to,children:[d(i.from,m),` – `,d(i.to,m),` · updated `,d(i.updatedAt,m)]}),(0,S.jsxs)(`section`,{className:`kpis`,"aria-label":`Key figures`,children:[(0,S.jsx)(C,{id:`revenue`,label:`Revenue`,value:i.revenue,previous:n.revenue,format:l}),(0,S.jsx)(C,{id:`spend`,label:`Spend`,value:i.spend,previous:n.spend,format:l,higherIsBetter:!1}),(0,S.jsx)(C,{id:`roas`,label:`ROAS`,value:i.roas??null,previous:n.roas??null,format:u}),(0,S.jsx)(C,{id:`conversionRate`,label:`Conversion rate`,value:i.conversionRate??null,previous:n.conversionRate??null,format:c}),(0,S.jsx)(C,{id:`visitors`,label:`Visitors`,value:i.visitors,previous:n.visitors,format:p}),(0,S.jsx)(C,{id:`conversions`,label:`Conversions`,value:i.conversions,previous:n.conversions,format:p}),(0,S.jsx)(C,{id:`activeCampaigns`,label:`Active campaigns`,value:i.activeCampaigns,previous:n.activeCampaigns,format:p})]}),(0,S.jsxs)(`section`,{className:`panel`,"aria-labelledby":`revenue-spend-title`,children:[(0,S.jsx)(`h2`,{id:`revenue-spend-title`,children:`Revenue and spend per day`}),i.series.length===0?(0,S.jsx)(e,{children:`No days in this range.`}):(0,S.jsx)(o,{label:`Revenue and spend per day, ${i.series.length} days`,days:i.series.map(e=>e.date),timeZone:m,series:[{label:`Revenue`,values:i.series.map(e=>e.revenue),color:`#1f7a4d`,format:e=>s(e,i.currency)},{label:`Spend`,values:i.series.map(e=>e.spend),color:`#b4461f`,format:e=>s(e,i.currency)}]})]}),(0,S.jsxs)(`section`,{className:`panel`,"aria-labelledby":`top-sources-title`,children:[(0,S.jsx)(`h2`,{id:`top-sources-title`,children:`Top sources`}),i.topSources.length===0?(0,S.jsx)(e,{children:`No attributed revenue in this range yet.`}):(0,S.jsxs)(`table`,{className:`data`,children:[(0,S.jsx)(`thead`,{children:(0,S.jsxs)(`tr`,{children:[(0,S.jsx)(`th`,{scope:`col`,children:`Source`}),(0,S.jsx)(`th`,{scope:`col`,className:`num`,children:`Revenue`}),(0,S.jsx)(`th`,{scope:`col`,className:`num`,children:`Conversions`})]})}),(0,S.jsx)(`tbody`,{children:i.topSources.map(e=>(0,S.jsxs)(`tr`,{children:[(0,S.jsx)(`th`,{scope:`row`,children:e.source}),(0,S.jsx)(`td`,{className:`num`,children:s(e.revenue,i.currency)}),(0,S.jsx)(`td`,{className:`num`,children:f(e.conversions)})]},e.source))})]})]})]})}export{w as default};