import{a as e,c as t,d as n,f as r,i,n as a,o,r as s,s as c,t as l}from"./index-DGIcoVtq.js";import{a as u,c as d,o as f}from"./format-BYSptvHr.js";var p=n();i();var m=s(),h={VIEWER:0,MARKETER:1,ADMIN:2,OWNER:3},g={"campaigns.manage":`MARKETER`,"content.manage":`MARKETER`,"organization.manage":`ADMIN`,"owners.manage":`OWNER`};function _(e,t){return e!=null&&h[e]>=h[g[t]]}var v=(function(){var e={defaultValue:null,kind:`LocalArgument`,name:`connections`},t={defaultValue:null,kind:`LocalArgument`,name:`input`},n=[{kind:`Variable`,name:`input`,variableName:`input`}],r={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null};return{fragment:{argumentDefinitions:[e,t],kind:`Fragment`,metadata:null,name:`CampaignsCreateMutation`,selections:[{alias:null,args:n,concreteType:`Campaign`,kind:`LinkedField`,name:`createCampaign`,plural:!1,selections:[r,{args:null,kind:`FragmentSpread`,name:`Campaigns_campaign`}],storageKey:null}],type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[t,e],kind:`Operation`,name:`CampaignsCreateMutation`,selections:[{alias:null,args:n,concreteType:`Campaign`,kind:`LinkedField`,name:`createCampaign`,plural:!1,selections:[r,{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null}],storageKey:null},{alias:null,args:n,filters:null,handle:`prependNode`,key:``,kind:`LinkedHandle`,name:`createCampaign`,handleArgs:[{kind:`Variable`,name:`connections`,variableName:`connections`},{kind:`Literal`,name:`edgeTypeName`,value:`CampaignEdge`}]}]},params:{cacheID:`9022672f2fd156adbe90ec5d126f2021`,id:null,metadata:{},name:`CampaignsCreateMutation`,operationKind:`mutation`,text:`mutation CampaignsCreateMutation(
  $input: CreateCampaignInput!
) {
  createCampaign(input: $input) {
    id
    ...Campaigns_campaign
  }
}

fragment Campaigns_campaign on Campaign {
  id
  name
  platform
  status
  mock
  failureReason
  budget {
    daily
    currency
  }
  performance {
    spend
    revenue
    roas
    roi
  }
}
`}}})();v.hash=`4dc802a1793ac13586ae9e3fe891596a`;var y=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`id`}],t=[{kind:`Variable`,name:`id`,variableName:`id`}],n={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},r={alias:null,args:null,kind:`ScalarField`,name:`metricsSyncedAt`,storageKey:null};return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`CampaignsSyncMutation`,selections:[{alias:null,args:t,concreteType:`Campaign`,kind:`LinkedField`,name:`syncCampaignMetrics`,plural:!1,selections:[n,r,{args:null,kind:`FragmentSpread`,name:`Campaigns_campaign`}],storageKey:null}],type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`CampaignsSyncMutation`,selections:[{alias:null,args:t,concreteType:`Campaign`,kind:`LinkedField`,name:`syncCampaignMetrics`,plural:!1,selections:[n,r,{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null}],storageKey:null}]},params:{cacheID:`dac1b3ec5234d75990400292f596193d`,id:null,metadata:{},name:`CampaignsSyncMutation`,operationKind:`mutation`,text:`mutation CampaignsSyncMutation(
  $id: ID!
) {
  syncCampaignMetrics(id: $id) {
    id
    metricsSyncedAt
    ...Campaigns_campaign
  }
}

fragment Campaigns_campaign on Campaign {
  id
  name
  platform
  status
  mock
  failureReason
  budget {
    daily
    currency
  }
  performance {
    spend
    revenue
    roas
    roi
  }
}
`}}})();y.hash=`3739a751ef87ef59ad9106189ec6d457`;var b=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`id`}],t=[{kind:`Variable`,name:`id`,variableName:`id`}],n={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null};return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`CampaignsResumeMutation`,selections:[{alias:null,args:t,concreteType:`Campaign`,kind:`LinkedField`,name:`resumeCampaign`,plural:!1,selections:[n,{args:null,kind:`FragmentSpread`,name:`Campaigns_campaign`}],storageKey:null}],type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`CampaignsResumeMutation`,selections:[{alias:null,args:t,concreteType:`Campaign`,kind:`LinkedField`,name:`resumeCampaign`,plural:!1,selections:[n,{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null}],storageKey:null}]},params:{cacheID:`2721a3c33a735a5afddb29a0319eae1e`,id:null,metadata:{},name:`CampaignsResumeMutation`,operationKind:`mutation`,text:`mutation CampaignsResumeMutation(
  $id: ID!
) {
  resumeCampaign(id: $id) {
    id
    ...Campaigns_campaign
  }
}

fragment Campaigns_campaign on Campaign {
  id
  name
  platform
  status
  mock
  failureReason
  budget {
    daily
    currency
  }
  performance {
    spend
    revenue
    roas
    roi
  }
}
`}}})();b.hash=`ee6665da85200948a06b37b7a9e3f813`;var x=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`id`}],t=[{kind:`Variable`,name:`id`,variableName:`id`}],n={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null};return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`CampaignsPauseMutation`,selections:[{alias:null,args:t,concreteType:`Campaign`,kind:`LinkedField`,name:`pauseCampaign`,plural:!1,selections:[n,{args:null,kind:`FragmentSpread`,name:`Campaigns_campaign`}],storageKey:null}],type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`CampaignsPauseMutation`,selections:[{alias:null,args:t,concreteType:`Campaign`,kind:`LinkedField`,name:`pauseCampaign`,plural:!1,selections:[n,{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null}],storageKey:null}]},params:{cacheID:`1bab566ad3069d47ad2f51dead60b458`,id:null,metadata:{},name:`CampaignsPauseMutation`,operationKind:`mutation`,text:`mutation CampaignsPauseMutation(
  $id: ID!
) {
  pauseCampaign(id: $id) {
    id
    ...Campaigns_campaign
  }
}

fragment Campaigns_campaign on Campaign {
  id
  name
  platform
  status
  mock
  failureReason
  budget {
    daily
    currency
  }
  performance {
    spend
    revenue
    roas
    roi
  }
}
`}}})();x.hash=`092aaa3ed971e5932ffbc8b355af2ea6`;var S={argumentDefinitions:[],kind:`Fragment`,metadata:null,name:`Campaigns_campaign`,selections:[{alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null}],type:`Campaign`,abstractKey:null};S.hash=`84d198aea06553faf601701d759d3383`;var C=(function(){var e={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null};return{fragment:{argumentDefinitions:[],kind:`Fragment`,metadata:null,name:`CampaignsSubscription`,selections:[{alias:null,args:null,concreteType:`Campaign`,kind:`LinkedField`,name:`campaignUpdated`,plural:!1,selections:[e,{args:null,kind:`FragmentSpread`,name:`Campaigns_campaign`}],storageKey:null}],type:`Subscription`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[],kind:`Operation`,name:`CampaignsSubscription`,selections:[{alias:null,args:null,concreteType:`Campaign`,kind:`LinkedField`,name:`campaignUpdated`,plural:!1,selections:[e,{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null}],storageKey:null}]},params:{cacheID:`bdfae176058f799d04d8fb9eb0f0d383`,id:null,metadata:{},name:`CampaignsSubscription`,operationKind:`subscription`,text:`subscription CampaignsSubscription {
  campaignUpdated {
    id
    ...Campaigns_campaign
  }
}

fragment Campaigns_campaign on Campaign {
  id
  name
  platform
  status
  mock
  failureReason
  budget {
    daily
    currency
  }
  performance {
    spend
    revenue
    roas
    roi
  }
}
`}}})();C.hash=`404f123d28678dff85aaf227423d2883`;var w=(function(){var e={kind:`Literal`,name:`orderBy`,value:{direction:`DESC`,field:`CREATED_AT`}},t={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},n={alias:null,args:null,kind:`ScalarField`,name:`__typename`,storageKey:null},r={alias:null,args:null,kind:`ScalarField`,name:`cursor`,storageKey:null},i={alias:null,args:null,concreteType:`PageInfo`,kind:`LinkedField`,name:`pageInfo`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`endCursor`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hasNextPage`,storageKey:null}],storageKey:null},a={kind:`ClientExtension`,selections:[{alias:null,args:null,kind:`ScalarField`,name:`__id`,storageKey:null}]},o=[{kind:`Literal`,name:`first`,value:50},e],s={alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},c={alias:null,args:o,concreteType:`ProductConnection`,kind:`LinkedField`,name:`products`,plural:!1,selections:[{alias:null,args:null,concreteType:`ProductEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`Product`,kind:`LinkedField`,name:`node`,plural:!1,selections:[t,s],storageKey:null}],storageKey:null}],storageKey:`products(first:50,orderBy:{"direction":"DESC","field":"CREATED_AT"})`};return{fragment:{argumentDefinitions:[],kind:`Fragment`,metadata:null,name:`CampaignsQuery`,selections:[{alias:`campaigns`,args:[e],concreteType:`CampaignConnection`,kind:`LinkedField`,name:`__Campaigns_campaigns_connection`,plural:!1,selections:[{alias:null,args:null,concreteType:`CampaignEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`Campaign`,kind:`LinkedField`,name:`node`,plural:!1,selections:[t,{args:null,kind:`FragmentSpread`,name:`Campaigns_campaign`},n],storageKey:null},r],storageKey:null},i,a],storageKey:`__Campaigns_campaigns_connection(orderBy:{"direction":"DESC","field":"CREATED_AT"})`},c],type:`Query`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[],kind:`Operation`,name:`CampaignsQuery`,selections:[{alias:null,args:o,concreteType:`CampaignConnection`,kind:`LinkedField`,name:`campaigns`,plural:!1,selections:[{alias:null,args:null,concreteType:`CampaignEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`Campaign`,kind:`LinkedField`,name:`node`,plural:!1,selections:[t,s,{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null},n],storageKey:null},r],storageKey:null},i,a],storageKey:`campaigns(first:50,orderBy:{"direction":"DESC","field":"CREATED_AT"})`},{alias:null,args:o,filters:[`orderBy`],handle:`connection`,key:`Campaigns_campaigns`,kind:`LinkedHandle`,name:`campaigns`},c]},params:{cacheID:`482e6d933482050c4954bbed3d7c46ab`,id:null,metadata:{connection:[{count:null,cursor:null,direction:`forward`,path:[`campaigns`]}]},name:`CampaignsQuery`,operationKind:`query`,text:`query CampaignsQuery {
  campaigns(first: 50, orderBy: {field: CREATED_AT, direction: DESC}) {
    edges {
      node {
        id
        ...Campaigns_campaign
        __typename
      }
      cursor
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
  products(first: 50, orderBy: {field: CREATED_AT, direction: DESC}) {
    edges {
      node {
        id
        name
      }
    }
  }
}

fragment Campaigns_campaign on Campaign {
  id
  name
  platform
  status
  mock
  failureReason
  budget {
    daily
    currency
  }
  performance {
    spend
    revenue
    roas
    roi
  }
}
`}}})();w.hash=`df8f9bd97848b6acd504b6886d028581`;var T=o();function E(e,t){let n=`${e}-${t.replace(/\W/g,`-`)}`;return{id:n,errorId:`${n}-error`,hintId:`${n}-hint`}}function D({form:e,name:t,label:n,error:r,hint:i,className:a,children:o}){let{id:s,errorId:c,hintId:l}=E(e,t);return(0,T.jsxs)(`div`,{className:`field ${a??``}`,children:[(0,T.jsx)(`label`,{htmlFor:s,children:n}),o,i&&(0,T.jsx)(`span`,{id:l,className:`muted hint`,children:i}),(0,T.jsx)(`span`,{id:c,className:`field-error`,"data-field-error":t,children:r})]})}function O(e,t,n,r){let{id:i,errorId:a,hintId:o}=E(e,t);return{id:i,name:t,"aria-invalid":n?!0:void 0,"aria-describedby":r?`${a} ${o}`:a}}function k(e){let{form:t,name:n,label:r,error:i,hint:a,className:o,...s}=e;return(0,T.jsx)(D,{form:t,name:n,label:r,error:i,hint:a,className:o,children:(0,T.jsx)(`input`,{...s,...O(t,n,i,a)})})}function A(e){let{form:t,name:n,label:r,error:i,hint:a,className:o,...s}=e;return(0,T.jsx)(D,{form:t,name:n,label:r,error:i,hint:a,className:o,children:(0,T.jsx)(`textarea`,{...s,...O(t,n,i,a)})})}function j(e){let{form:t,name:n,label:r,error:i,hint:a,className:o,children:s,...c}=e;return(0,T.jsx)(D,{form:t,name:n,label:r,error:i,hint:a,className:o,children:(0,T.jsx)(`select`,{...c,...O(t,n,i,a),children:s})})}function M({errors:e}){return e.length===0?null:(0,T.jsx)(`div`,{className:`form-error`,role:`alert`,children:e.map((e,t)=>(0,T.jsx)(`p`,{children:e},t))})}var N=r({CampaignActions:()=>R,default:()=>P,platformLabels:()=>I,useCampaignUpdates:()=>F});function P(){let{role:t}=l(),[n,r]=(0,p.useState)(!1),i=(0,m.useLazyLoadQuery)(w,{},{fetchPolicy:`store-and-network`});F();let a=_(t,`campaigns.manage`),o=(i.campaigns.edges??[]).flatMap(e=>e?.node?[e.node]:[]),s=(i.products.edges??[]).flatMap(e=>e?.node?[e.node]:[]);return(0,T.jsxs)(T.Fragment,{children:[(0,T.jsxs)(`div`,{className:`screen-head`,children:[(0,T.jsx)(`h1`,{children:`Campaigns`}),a&&!n&&(0,T.jsx)(`button`,{type:`button`,className:`primary`,onClick:()=>r(!0),children:`New campaign`})]}),a&&n&&(0,T.jsx)(B,{connection:i.campaigns.__id,products:s,onDone:()=>r(!1)}),(0,T.jsx)(`section`,{className:`panel`,"aria-label":`Campaigns`,children:o.length===0?(0,T.jsxs)(e,{children:[`No campaigns yet.`,a?` Create one to start tracking its return.`:``]}):(0,T.jsx)(`div`,{className:`table-wrap`,children:(0,T.jsxs)(`table`,{className:`data`,children:[(0,T.jsx)(`thead`,{children:(0,T.jsxs)(`tr`,{children:[(0,T.jsx)(`th`,{scope:`col`,children:`Campaign`}),(0,T.jsx)(`th`,{scope:`col`,children:`Platform`}),(0,T.jsx)(`th`,{scope:`col`,children:`Status`}),(0,T.jsx)(`th`,{scope:`col`,className:`num`,children:`Spend`}),(0,T.jsx)(`th`,{scope:`col`,className:`num`,children:`Revenue`}),(0,T.jsx)(`th`,{scope:`col`,className:`num`,children:`ROAS`}),(0,T.jsx)(`th`,{scope:`col`,className:`num`,children:`ROI`}),a&&(0,T.jsx)(`th`,{scope:`col`,children:`Actions`})]})}),(0,T.jsx)(`tbody`,{children:o.map(e=>(0,T.jsx)(L,{campaign:e,manage:a},e.id))})]})})})]})}function F(){let e=(0,p.useMemo)(()=>({subscription:C,variables:{}}),[]);(0,m.useSubscription)(e)}var I={GOOGLE:`Google Ads`,FACEBOOK:`Meta`};function L({campaign:e,manage:t}){let n=(0,m.useFragment)(S,e),r=e=>u(e,n.budget.currency);return(0,T.jsxs)(`tr`,{"data-campaign":n.id,"data-name":n.name,children:[(0,T.jsxs)(`th`,{scope:`row`,children:[(0,T.jsx)(a,{to:`/campaigns/${n.id}`,children:n.name}),n.mock&&(0,T.jsx)(`span`,{className:`muted`,children:` (mock)`}),(0,T.jsxs)(`div`,{className:`muted`,children:[r(n.budget.daily),` a day`]}),n.failureReason&&(0,T.jsx)(`div`,{className:`form-error`,children:n.failureReason})]}),(0,T.jsx)(`td`,{children:I[n.platform]??n.platform}),(0,T.jsx)(`td`,{children:(0,T.jsx)(`span`,{className:`status status-${n.status}`,"data-testid":`status`,children:n.status})}),(0,T.jsx)(`td`,{className:`num`,children:r(n.performance.spend)}),(0,T.jsx)(`td`,{className:`num`,children:r(n.performance.revenue)}),(0,T.jsx)(`td`,{className:`num`,children:f(n.performance.roas)}),(0,T.jsx)(`td`,{className:`num`,children:d(n.performance.roi)}),t&&(0,T.jsx)(`td`,{children:(0,T.jsx)(R,{id:n.id,name:n.name,status:n.status})})]})}function R({id:e,name:t,status:n}){let[r,i]=(0,p.useState)(null),[a,o]=(0,m.useMutation)(x),[s,l]=(0,m.useMutation)(b),[u,d]=(0,m.useMutation)(y),f=t=>{i(null),t({variables:{id:e},onError:e=>i(c(e))})},h=o||l||d;return(0,T.jsxs)(`div`,{className:`actions`,children:[n===`ACTIVE`&&(0,T.jsx)(`button`,{type:`button`,onClick:()=>f(a),disabled:h,"aria-label":`Pause ${t}`,children:`Pause`}),(n===`PAUSED`||n===`DRAFT`)&&(0,T.jsx)(`button`,{type:`button`,onClick:()=>f(s),disabled:h,"aria-label":`${n===`DRAFT`?`Launch`:`Resume`} ${t}`,children:n===`DRAFT`?`Launch`:`Resume`}),n===`ACTIVE`&&(0,T.jsx)(`button`,{type:`button`,onClick:()=>f(u),disabled:h,"aria-label":`Sync metrics of ${t}`,children:d?`Syncing…`:`Sync`}),r&&(0,T.jsx)(`span`,{className:`form-error`,role:`alert`,children:r})]})}var z=[`platform`,`name`,`productId`,`dailyBudget`,`currency`,`keywords`,`creatives`,`utmCampaign`,`targeting`,`startDate`,`endDate`];function B({connection:e,products:n,onDone:r}){let{organization:i}=l(),[a,o]=(0,p.useState)(`GOOGLE`),[s,c]=(0,p.useState)({fields:{},form:[]}),[u,d]=(0,m.useMutation)(v);function f(n){n.preventDefault();let i=new FormData(n.currentTarget),o=e=>String(i.get(e)??``).trim(),s=Number(o(`dailyBudget`).replace(`,`,`.`));if(o(`dailyBudget`)===``||Number.isNaN(s)){c({fields:{dailyBudget:`Enter the daily budget as a number, such as 25 or 12.50.`},form:[]});return}let l={platform:a,name:o(`name`),dailyBudget:s,productId:o(`productId`)||null,currency:o(`currency`)||null,utmCampaign:o(`utmCampaign`)||null};a===`GOOGLE`?l.keywords=o(`keywords`).split(/[\n,]/).map(e=>e.trim()).filter(Boolean):l.creatives=[{headline:o(`headline`),body:o(`body`),linkUrl:o(`linkUrl`)}],c({fields:{},form:[]}),u({variables:{input:l,connections:[e]},onCompleted:(e,t)=>{t?.length?c({fields:{},form:t.map(e=>e.message)}):r()},onError:e=>c(t(e,z))})}let h=s.fields;return(0,T.jsxs)(`form`,{className:`panel`,onSubmit:f,noValidate:!0,"aria-labelledby":`create-campaign-title`,children:[(0,T.jsx)(`h2`,{id:`create-campaign-title`,children:`New campaign`}),(0,T.jsx)(M,{errors:s.form}),(0,T.jsxs)(`div`,{className:`form-grid`,children:[(0,T.jsxs)(`fieldset`,{className:`wide`,children:[(0,T.jsx)(`legend`,{children:`Platform`}),(0,T.jsxs)(`label`,{className:`inline`,children:[(0,T.jsx)(`input`,{type:`radio`,name:`platform`,value:`GOOGLE`,checked:a===`GOOGLE`,onChange:()=>o(`GOOGLE`)}),` Google Ads`]}),(0,T.jsxs)(`label`,{className:`inline`,children:[(0,T.jsx)(`input`,{type:`radio`,name:`platform`,value:`FACEBOOK`,checked:a===`FACEBOOK`,onChange:()=>o(`FACEBOOK`)}),` Meta`]})]}),(0,T.jsx)(k,{form:`campaign`,name:`name`,label:`Name`,error:h.name,autoComplete:`off`}),(0,T.jsxs)(j,{form:`campaign`,name:`productId`,label:`Product`,error:h.productId,defaultValue:``,children:[(0,T.jsx)(`option`,{value:``,children:`No product`}),n.map(e=>(0,T.jsx)(`option`,{value:e.id,children:e.name},e.id))]}),(0,T.jsx)(k,{form:`campaign`,name:`dailyBudget`,label:`Daily budget`,inputMode:`decimal`,error:h.dailyBudget,autoComplete:`off`}),(0,T.jsx)(k,{form:`campaign`,name:`currency`,label:`Currency`,placeholder:i.currency,error:h.currency,autoComplete:`off`}),(0,T.jsx)(k,{form:`campaign`,name:`utmCampaign`,label:`utm_campaign`,hint:`Joins tracked visits to the campaign; a slug of the name when empty.`,error:h.utmCampaign,autoComplete:`off`}),a===`GOOGLE`?(0,T.jsx)(A,{form:`campaign`,name:`keywords`,label:`Keywords`,hint:`One per line, or separated by commas.`,error:h.keywords,rows:3,className:`wide`}):(0,T.jsxs)(T.Fragment,{children:[(0,T.jsx)(k,{form:`campaign`,name:`headline`,label:`Ad headline`,error:h.creatives,autoComplete:`off`}),(0,T.jsx)(k,{form:`campaign`,name:`linkUrl`,label:`Link`,type:`url`,placeholder:`https://`,autoComplete:`off`}),(0,T.jsx)(A,{form:`campaign`,name:`body`,label:`Ad text`,rows:3,className:`wide`})]})]}),(0,T.jsxs)(`div`,{className:`actions form-actions`,children:[(0,T.jsx)(`button`,{type:`submit`,className:`primary`,disabled:d,children:d?`Creating…`:`Create campaign`}),(0,T.jsx)(`button`,{type:`button`,onClick:r,children:`Cancel`})]})]})}export{R as CampaignActions,P as default,_ as n,I as platformLabels,N as t,F as useCampaignUpdates};