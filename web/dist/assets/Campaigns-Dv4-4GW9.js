import{a as e,c as t,i as n,l as r,n as i,p as a,r as o,t as s,u as c}from"./index-DR5gh50b.js";import{t as l}from"./TableWrap-3Wnslhnk.js";import{a as u,i as d,n as f,r as p,t as m}from"./Field-DZt-2-dG.js";import{a as h,c as g,o as _}from"./format-BYSptvHr.js";import{t as v}from"./connection-Dod6qXPH.js";n();var y=(function(){var e={defaultValue:null,kind:`LocalArgument`,name:`connections`},t={defaultValue:null,kind:`LocalArgument`,name:`input`},n=[{kind:`Variable`,name:`input`,variableName:`input`}],r={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null};return{fragment:{argumentDefinitions:[e,t],kind:`Fragment`,metadata:null,name:`CampaignsCreateMutation`,selections:[{alias:null,args:n,concreteType:`Campaign`,kind:`LinkedField`,name:`createCampaign`,plural:!1,selections:[r,{args:null,kind:`FragmentSpread`,name:`Campaigns_campaign`}],storageKey:null}],type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[t,e],kind:`Operation`,name:`CampaignsCreateMutation`,selections:[{alias:null,args:n,concreteType:`Campaign`,kind:`LinkedField`,name:`createCampaign`,plural:!1,selections:[r,{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null}],storageKey:null},{alias:null,args:n,filters:null,handle:`prependNode`,key:``,kind:`LinkedHandle`,name:`createCampaign`,handleArgs:[{kind:`Variable`,name:`connections`,variableName:`connections`},{kind:`Literal`,name:`edgeTypeName`,value:`CampaignEdge`}]}]},params:{cacheID:`9022672f2fd156adbe90ec5d126f2021`,id:null,metadata:{},name:`CampaignsCreateMutation`,operationKind:`mutation`,text:`mutation CampaignsCreateMutation(
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
`}}})();y.hash=`4dc802a1793ac13586ae9e3fe891596a`;var b=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`id`}],t=[{kind:`Variable`,name:`id`,variableName:`id`}],n={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},r={alias:null,args:null,kind:`ScalarField`,name:`metricsSyncedAt`,storageKey:null};return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`CampaignsSyncMutation`,selections:[{alias:null,args:t,concreteType:`Campaign`,kind:`LinkedField`,name:`syncCampaignMetrics`,plural:!1,selections:[n,r,{args:null,kind:`FragmentSpread`,name:`Campaigns_campaign`}],storageKey:null}],type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`CampaignsSyncMutation`,selections:[{alias:null,args:t,concreteType:`Campaign`,kind:`LinkedField`,name:`syncCampaignMetrics`,plural:!1,selections:[n,r,{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null}],storageKey:null}]},params:{cacheID:`dac1b3ec5234d75990400292f596193d`,id:null,metadata:{},name:`CampaignsSyncMutation`,operationKind:`mutation`,text:`mutation CampaignsSyncMutation(
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
`}}})();b.hash=`3739a751ef87ef59ad9106189ec6d457`;var x=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`id`}],t=[{kind:`Variable`,name:`id`,variableName:`id`}],n={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null};return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`CampaignsResumeMutation`,selections:[{alias:null,args:t,concreteType:`Campaign`,kind:`LinkedField`,name:`resumeCampaign`,plural:!1,selections:[n,{args:null,kind:`FragmentSpread`,name:`Campaigns_campaign`}],storageKey:null}],type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`CampaignsResumeMutation`,selections:[{alias:null,args:t,concreteType:`Campaign`,kind:`LinkedField`,name:`resumeCampaign`,plural:!1,selections:[n,{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null}],storageKey:null}]},params:{cacheID:`2721a3c33a735a5afddb29a0319eae1e`,id:null,metadata:{},name:`CampaignsResumeMutation`,operationKind:`mutation`,text:`mutation CampaignsResumeMutation(
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
`}}})();x.hash=`ee6665da85200948a06b37b7a9e3f813`;var S=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`id`}],t=[{kind:`Variable`,name:`id`,variableName:`id`}],n={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null};return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`CampaignsPauseMutation`,selections:[{alias:null,args:t,concreteType:`Campaign`,kind:`LinkedField`,name:`pauseCampaign`,plural:!1,selections:[n,{args:null,kind:`FragmentSpread`,name:`Campaigns_campaign`}],storageKey:null}],type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`CampaignsPauseMutation`,selections:[{alias:null,args:t,concreteType:`Campaign`,kind:`LinkedField`,name:`pauseCampaign`,plural:!1,selections:[n,{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null}],storageKey:null}]},params:{cacheID:`1bab566ad3069d47ad2f51dead60b458`,id:null,metadata:{},name:`CampaignsPauseMutation`,operationKind:`mutation`,text:`mutation CampaignsPauseMutation(
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
`}}})();S.hash=`092aaa3ed971e5932ffbc8b355af2ea6`;var C={argumentDefinitions:[],kind:`Fragment`,metadata:null,name:`Campaigns_campaign`,selections:[{alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null}],type:`Campaign`,abstractKey:null};C.hash=`84d198aea06553faf601701d759d3383`;var w=(function(){var e={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null};return{fragment:{argumentDefinitions:[],kind:`Fragment`,metadata:null,name:`CampaignsSubscription`,selections:[{alias:null,args:null,concreteType:`Campaign`,kind:`LinkedField`,name:`campaignUpdated`,plural:!1,selections:[e,{args:null,kind:`FragmentSpread`,name:`Campaigns_campaign`}],storageKey:null}],type:`Subscription`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[],kind:`Operation`,name:`CampaignsSubscription`,selections:[{alias:null,args:null,concreteType:`Campaign`,kind:`LinkedField`,name:`campaignUpdated`,plural:!1,selections:[e,{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null}],storageKey:null}]},params:{cacheID:`bdfae176058f799d04d8fb9eb0f0d383`,id:null,metadata:{},name:`CampaignsSubscription`,operationKind:`subscription`,text:`subscription CampaignsSubscription {
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
`}}})();w.hash=`404f123d28678dff85aaf227423d2883`;var T=(function(){var e={kind:`Literal`,name:`orderBy`,value:{direction:`DESC`,field:`CREATED_AT`}},t={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},n={alias:null,args:null,kind:`ScalarField`,name:`__typename`,storageKey:null},r={alias:null,args:null,kind:`ScalarField`,name:`cursor`,storageKey:null},i={alias:null,args:null,concreteType:`PageInfo`,kind:`LinkedField`,name:`pageInfo`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`endCursor`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hasNextPage`,storageKey:null}],storageKey:null},a={kind:`ClientExtension`,selections:[{alias:null,args:null,kind:`ScalarField`,name:`__id`,storageKey:null}]},o=[{kind:`Literal`,name:`first`,value:50},e],s={alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},c={alias:null,args:o,concreteType:`ProductConnection`,kind:`LinkedField`,name:`products`,plural:!1,selections:[{alias:null,args:null,concreteType:`ProductEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`Product`,kind:`LinkedField`,name:`node`,plural:!1,selections:[t,s],storageKey:null}],storageKey:null}],storageKey:`products(first:50,orderBy:{"direction":"DESC","field":"CREATED_AT"})`};return{fragment:{argumentDefinitions:[],kind:`Fragment`,metadata:null,name:`CampaignsQuery`,selections:[{alias:`campaigns`,args:[e],concreteType:`CampaignConnection`,kind:`LinkedField`,name:`__Campaigns_campaigns_connection`,plural:!1,selections:[{alias:null,args:null,concreteType:`CampaignEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`Campaign`,kind:`LinkedField`,name:`node`,plural:!1,selections:[t,{args:null,kind:`FragmentSpread`,name:`Campaigns_campaign`},n],storageKey:null},r],storageKey:null},i,a],storageKey:`__Campaigns_campaigns_connection(orderBy:{"direction":"DESC","field":"CREATED_AT"})`},c],type:`Query`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[],kind:`Operation`,name:`CampaignsQuery`,selections:[{alias:null,args:o,concreteType:`CampaignConnection`,kind:`LinkedField`,name:`campaigns`,plural:!1,selections:[{alias:null,args:null,concreteType:`CampaignEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`Campaign`,kind:`LinkedField`,name:`node`,plural:!1,selections:[t,s,{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`mock`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,concreteType:`Budget`,kind:`LinkedField`,name:`budget`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`daily`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`CampaignPerformance`,kind:`LinkedField`,name:`performance`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`spend`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roas`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`roi`,storageKey:null}],storageKey:null},n],storageKey:null},r],storageKey:null},i,a],storageKey:`campaigns(first:50,orderBy:{"direction":"DESC","field":"CREATED_AT"})`},{alias:null,args:o,filters:[`orderBy`],handle:`connection`,key:`Campaigns_campaigns`,kind:`LinkedHandle`,name:`campaigns`},c]},params:{cacheID:`482e6d933482050c4954bbed3d7c46ab`,id:null,metadata:{connection:[{count:null,cursor:null,direction:`forward`,path:[`campaigns`]}]},name:`CampaignsQuery`,operationKind:`query`,text:`query CampaignsQuery {
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
`}}})();T.hash=`df8f9bd97848b6acd504b6886d028581`;var E=a(),D=o(),O=t();function k(){let{role:t}=s(),[n,r]=(0,E.useState)(!1),i=(0,D.useLazyLoadQuery)(T,{},{fetchPolicy:`store-and-network`});A();let a=u(t,`campaigns.manage`),o=v(i.campaigns),c=v(i.products);return(0,O.jsxs)(O.Fragment,{children:[(0,O.jsxs)(`div`,{className:`screen-head`,children:[(0,O.jsx)(`h1`,{children:`Campaigns`}),a&&!n&&(0,O.jsx)(`button`,{type:`button`,className:`primary`,onClick:()=>r(!0),children:`New campaign`})]}),a&&n&&(0,O.jsx)(F,{connection:i.campaigns.__id,products:c,onDone:()=>r(!1)}),(0,O.jsx)(`section`,{className:`panel`,"aria-label":`Campaigns`,children:o.length===0?(0,O.jsxs)(e,{children:[`No campaigns yet.`,a?` Create one to start tracking its return.`:``]}):(0,O.jsx)(l,{label:`Campaigns`,children:(0,O.jsxs)(`table`,{className:`data`,children:[(0,O.jsx)(`thead`,{children:(0,O.jsxs)(`tr`,{children:[(0,O.jsx)(`th`,{scope:`col`,children:`Campaign`}),(0,O.jsx)(`th`,{scope:`col`,children:`Platform`}),(0,O.jsx)(`th`,{scope:`col`,children:`Status`}),(0,O.jsx)(`th`,{scope:`col`,className:`num`,children:`Spend`}),(0,O.jsx)(`th`,{scope:`col`,className:`num`,children:`Revenue`}),(0,O.jsx)(`th`,{scope:`col`,className:`num`,children:`ROAS`}),(0,O.jsx)(`th`,{scope:`col`,className:`num`,children:`ROI`}),a&&(0,O.jsx)(`th`,{scope:`col`,children:`Actions`})]})}),(0,O.jsx)(`tbody`,{children:o.map(e=>(0,O.jsx)(M,{campaign:e,manage:a},e.id))})]})})})]})}function A(){let e=(0,E.useMemo)(()=>({subscription:w,variables:{}}),[]);(0,D.useSubscription)(e)}var j={GOOGLE:`Google Ads`,FACEBOOK:`Meta`};function M({campaign:e,manage:t}){let n=(0,D.useFragment)(C,e),r=e=>h(e,n.budget.currency);return(0,O.jsxs)(`tr`,{"data-campaign":n.id,"data-name":n.name,children:[(0,O.jsxs)(`th`,{scope:`row`,children:[(0,O.jsx)(i,{to:`/campaigns/${n.id}`,children:n.name}),n.mock&&(0,O.jsx)(`span`,{className:`muted`,children:` (mock)`}),(0,O.jsxs)(`div`,{className:`muted`,children:[r(n.budget.daily),` a day`]}),n.failureReason&&(0,O.jsx)(`div`,{className:`form-error`,children:n.failureReason})]}),(0,O.jsx)(`td`,{children:j[n.platform]??n.platform}),(0,O.jsx)(`td`,{children:(0,O.jsx)(`span`,{className:`status status-${n.status}`,"data-testid":`status`,children:n.status})}),(0,O.jsx)(`td`,{className:`num`,children:r(n.performance.spend)}),(0,O.jsx)(`td`,{className:`num`,children:r(n.performance.revenue)}),(0,O.jsx)(`td`,{className:`num`,children:_(n.performance.roas)}),(0,O.jsx)(`td`,{className:`num`,children:g(n.performance.roi)}),t&&(0,O.jsx)(`td`,{children:(0,O.jsx)(N,{id:n.id,name:n.name,status:n.status})})]})}function N({id:e,name:t,status:n}){let[i,a]=(0,E.useState)(null),[o,s]=(0,D.useMutation)(S),[c,l]=(0,D.useMutation)(x),[u,d]=(0,D.useMutation)(b),f=t=>{a(null),t({variables:{id:e},onError:e=>a(r(e))})},p=s||l||d;return(0,O.jsxs)(`div`,{className:`actions`,children:[n===`ACTIVE`&&(0,O.jsx)(`button`,{type:`button`,onClick:()=>f(o),disabled:p,"aria-label":`Pause ${t}`,children:`Pause`}),(n===`PAUSED`||n===`DRAFT`)&&(0,O.jsx)(`button`,{type:`button`,onClick:()=>f(c),disabled:p,"aria-label":`${n===`DRAFT`?`Launch`:`Resume`} ${t}`,children:n===`DRAFT`?`Launch`:`Resume`}),n===`ACTIVE`&&(0,O.jsx)(`button`,{type:`button`,onClick:()=>f(u),disabled:p,"aria-label":`Sync metrics of ${t}`,children:d?`Syncing…`:`Sync`}),i&&(0,O.jsx)(`span`,{className:`form-error`,role:`alert`,children:i})]})}var P=[`platform`,`name`,`productId`,`dailyBudget`,`currency`,`keywords`,`creatives`,`utmCampaign`,`targeting`,`startDate`,`endDate`];function F({connection:e,products:t,onDone:n}){let{organization:r}=s(),[i,a]=(0,E.useState)(`GOOGLE`),[o,l]=(0,E.useState)({fields:{},form:[]}),[u,h]=(0,D.useMutation)(y);function g(t){t.preventDefault();let r=new FormData(t.currentTarget),a=e=>String(r.get(e)??``).trim(),o=Number(a(`dailyBudget`).replace(`,`,`.`));if(a(`dailyBudget`)===``||Number.isNaN(o)){l({fields:{dailyBudget:`Enter the daily budget as a number, such as 25 or 12.50.`},form:[]});return}let s={platform:i,name:a(`name`),dailyBudget:o,productId:a(`productId`)||null,currency:a(`currency`)||null,utmCampaign:a(`utmCampaign`)||null};i===`GOOGLE`?s.keywords=a(`keywords`).split(/[\n,]/).map(e=>e.trim()).filter(Boolean):s.creatives=[{headline:a(`headline`),body:a(`body`),linkUrl:a(`linkUrl`)}],l({fields:{},form:[]}),u({variables:{input:s,connections:[e]},onCompleted:(e,t)=>{t?.length?l({fields:{},form:t.map(e=>e.message)}):n()},onError:e=>l(c(e,P))})}let _=o.fields;return(0,O.jsxs)(`form`,{className:`panel`,onSubmit:g,noValidate:!0,"aria-labelledby":`create-campaign-title`,children:[(0,O.jsx)(`h2`,{id:`create-campaign-title`,children:`New campaign`}),(0,O.jsx)(m,{errors:o.form}),(0,O.jsxs)(`div`,{className:`form-grid`,children:[(0,O.jsxs)(`fieldset`,{className:`wide`,children:[(0,O.jsx)(`legend`,{children:`Platform`}),(0,O.jsxs)(`label`,{className:`inline`,children:[(0,O.jsx)(`input`,{type:`radio`,name:`platform`,value:`GOOGLE`,checked:i===`GOOGLE`,onChange:()=>a(`GOOGLE`)}),` Google Ads`]}),(0,O.jsxs)(`label`,{className:`inline`,children:[(0,O.jsx)(`input`,{type:`radio`,name:`platform`,value:`FACEBOOK`,checked:i===`FACEBOOK`,onChange:()=>a(`FACEBOOK`)}),` Meta`]})]}),(0,O.jsx)(d,{form:`campaign`,name:`name`,label:`Name`,error:_.name,autoComplete:`off`}),(0,O.jsxs)(f,{form:`campaign`,name:`productId`,label:`Product`,error:_.productId,defaultValue:``,children:[(0,O.jsx)(`option`,{value:``,children:`No product`}),t.map(e=>(0,O.jsx)(`option`,{value:e.id,children:e.name},e.id))]}),(0,O.jsx)(d,{form:`campaign`,name:`dailyBudget`,label:`Daily budget`,inputMode:`decimal`,error:_.dailyBudget,autoComplete:`off`}),(0,O.jsx)(d,{form:`campaign`,name:`currency`,label:`Currency`,placeholder:r.currency,error:_.currency,autoComplete:`off`}),(0,O.jsx)(d,{form:`campaign`,name:`utmCampaign`,label:`utm_campaign`,hint:`Joins tracked visits to the campaign; a slug of the name when empty.`,error:_.utmCampaign,autoComplete:`off`}),i===`GOOGLE`?(0,O.jsx)(p,{form:`campaign`,name:`keywords`,label:`Keywords`,hint:`One per line, or separated by commas.`,error:_.keywords,rows:3,className:`wide`}):(0,O.jsxs)(O.Fragment,{children:[(0,O.jsx)(d,{form:`campaign`,name:`headline`,label:`Ad headline`,error:_.creatives,autoComplete:`off`}),(0,O.jsx)(d,{form:`campaign`,name:`linkUrl`,label:`Link`,type:`url`,placeholder:`https://`,autoComplete:`off`}),(0,O.jsx)(p,{form:`campaign`,name:`body`,label:`Ad text`,rows:3,className:`wide`})]})]}),(0,O.jsxs)(`div`,{className:`actions form-actions`,children:[(0,O.jsx)(`button`,{type:`submit`,className:`primary`,disabled:h,children:h?`Creating…`:`Create campaign`}),(0,O.jsx)(`button`,{type:`button`,onClick:n,children:`Cancel`})]})]})}export{N as CampaignActions,k as default,j as platformLabels,A as useCampaignUpdates};