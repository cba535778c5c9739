import{a as e,c as t,i as n,p as r,r as i,t as a}from"./index-DR5gh50b.js";import{a as o,i as s,n as c,r as l,t as u}from"./RangePicker-DfXe_b_6.js";import{a as d,c as f,o as p,s as m}from"./format-BYSptvHr.js";import{t as h}from"./TableWrap-3Wnslhnk.js";n();var g=(function(){var e={defaultValue:null,kind:`LocalArgument`,name:`from`},t={defaultValue:null,kind:`LocalArgument`,name:`groupBy`},n={defaultValue:null,kind:`LocalArgument`,name:`to`},r={kind:`Variable`,name:`from`,variableName:`from`},i={kind:`Variable`,name:`groupBy`,variableName:`groupBy`},a={kind:`Variable`,name:`to`,variableName:`to`},o=[r,i,{kind:`Literal`,name:`model`,value:`FIRST_TOUCH`},a],s={alias:null,args:null,kind:`ScalarField`,name:`model`,storageKey:null},c={alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null},l={alias:null,args:null,kind:`ScalarField`,name:`from`,storageKey:null},u={alias:null,args:null,kind:`ScalarField`,name:`to`,storageKey:null},d={alias:null,args:null,concreteType:`AttributionReportRow`,kind:`LinkedField`,name:`rows`,plural:!0,selections:[{alias:null,args:null,kind:`ScalarField`,name:`source`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`medium`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`campaign`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`conversions`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revenue`,storageKey:null}],storageKey:null},f=[s,c,l,u,d],p=[r,i,{kind:`Literal`,name:`model`,value:`LAST_TOUCH`},a],m=[r,i,{kind:`Literal`,name:`model`,value:`LINEAR`},a],h=[r,i,{kind:`Literal`,name:`model`,value:`TIME_DECAY`},a],g=[r,i,{kind:`Literal`,name:`model`,value:`POSITION_BASED`},a],_=[{kind:`Literal`,name:`first`,value:20},{kind:`Literal`,name:`orderBy`,value:{direction:`DESC`,field:`CREATED_AT`}}],v={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},y={alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},b={alias:null,args:null,kind:`ScalarField`,name:`utmCampaign`,storageKey:null},x=[r,a],S={alias:null,args:null,kind:`ScalarField`,name:`cost`,storageKey:null},C=[s,c,l,u,d,v];return{fragment:{argumentDefinitions:[e,t,n],kind:`Fragment`,metadata:null,name:`AttributionQuery`,selections:[{alias:`firstTouch`,args:o,concreteType:`AttributionReport`,kind:`LinkedField`,name:`attributionReport`,plural:!1,selections:f,storageKey:null},{alias:`lastTouch`,args:p,concreteType:`AttributionReport`,kind:`LinkedField`,name:`attributionReport`,plural:!1,selections:f,storageKey:null},{alias:`linear`,args:m,concreteType:`AttributionReport`,kind:`LinkedField`,name:`attributionReport`,plural:!1,selections:f,storageKey:null},{alias:`timeDecay`,args:h,concreteType:`AttributionReport`,kind:`LinkedField`,name:`attributionReport`,plural:!1,selections:f,storageKey:null},{alias:`positionBased`,args:g,concreteType:`AttributionReport`,kind:`LinkedField`,name:`attributionReport`,plural:!1,selections:f,storageKey:null},{alias:null,args:_,concreteType:`CampaignConnection`,kind:`LinkedField`,name:`campaigns`,plural:!1,selections:[{alias:null,args:null,concreteType:`CampaignEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`Campaign`,kind:`LinkedField`,name:`node`,plural:!1,selections:[v,y,b,{alias:null,args:x,concreteType:`CampaignMetric`,kind:`LinkedField`,name:`metrics`,plural:!0,selections:[S],storageKey:null}],storageKey:null}],storageKey:null}],storageKey:`campaigns(first:20,orderBy:{"direction":"DESC","field":"CREATED_AT"})`}],type:`Query`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[e,n,t],kind:`Operation`,name:`AttributionQuery`,selections:[{alias:`firstTouch`,args:o,concreteType:`AttributionReport`,kind:`LinkedField`,name:`attributionReport`,plural:!1,selections:C,storageKey:null},{alias:`lastTouch`,args:p,concreteType:`AttributionReport`,kind:`LinkedField`,name:`attributionReport`,plural:!1,selections:C,storageKey:null},{alias:`linear`,args:m,concreteType:`AttributionReport`,kind:`LinkedField`,name:`attributionReport`,plural:!1,selections:C,storageKey:null},{alias:`timeDecay`,args:h,concreteType:`AttributionReport`,kind:`LinkedField`,name:`attributionReport`,plural:!1,selections:C,storageKey:null},{alias:`positionBased`,args:g,concreteType:`AttributionReport`,kind:`LinkedField`,name:`attributionReport`,plural:!1,selections:C,storageKey:null},{alias:null,args:_,concreteType:`CampaignConnection`,kind:`LinkedField`,name:`campaigns`,plural:!1,selections:[{alias:null,args:null,concreteType:`CampaignEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`Campaign`,kind:`LinkedField`,name:`node`,plural:!1,selections:[v,y,b,{alias:null,args:x,concreteType:`CampaignMetric`,kind:`LinkedField`,name:`metrics`,plural:!0,selections:[S,v],storageKey:null}],storageKey:null}],storageKey:null}],storageKey:`campaigns(first:20,orderBy:{"direction":"DESC","field":"CREATED_AT"})`}]},params:{cacheID:`06572bedd542589aed429675ca6da2ec`,id:null,metadata:{},name:`AttributionQuery`,operationKind:`query`,text:`query AttributionQuery(
  $from: Time!
  $to: Time
  $groupBy: AttributionDimension!
) {
  firstTouch: attributionReport(model: FIRST_TOUCH, from: $from, to: $to, groupBy: $groupBy) {
    model
    currency
    from
    to
    rows {
      source
      medium
      campaign
      conversions
      revenue
    }
    id
  }
  lastTouch: attributionReport(model: LAST_TOUCH, from: $from, to: $to, groupBy: $groupBy) {
    model
    currency
    from
    to
    rows {
      source
      medium
      campaign
      conversions
      revenue
    }
    id
  }
  linear: attributionReport(model: LINEAR, from: $from, to: $to, groupBy: $groupBy) {
    model
    currency
    from
    to
    rows {
      source
      medium
      campaign
      conversions
      revenue
    }
    id
  }
  timeDecay: attributionReport(model: TIME_DECAY, from: $from, to: $to, groupBy: $groupBy) {
    model
    currency
    from
    to
    rows {
      source
      medium
      campaign
      conversions
      revenue
    }
    id
  }
  positionBased: attributionReport(model: POSITION_BASED, from: $from, to: $to, groupBy: $groupBy) {
    model
    currency
    from
    to
    rows {
      source
      medium
      campaign
      conversions
      revenue
    }
    id
  }
  campaigns(first: 20, orderBy: {field: CREATED_AT, direction: DESC}) {
    edges {
      node {
        id
        platform
        utmCampaign
        metrics(from: $from, to: $to) {
          cost
          id
        }
      }
    }
  }
}
`}}})();g.hash=`bcc76ca0a4c0a5ad7cefdab08521bde8`;var _=r(),v=i();function y(e){if(e==null)return``;let t=typeof e==`number`?Number.isFinite(e)?String(e):``:e;return typeof e==`string`&&/^[=+\-@\t\r]/.test(t)&&(t=`'${t}`),/[",\r\n]/.test(t)?`"${t.replace(/"/g,`""`)}"`:t}function b(e,t){return[e,...t].map(e=>e.map(y).join(`,`)).join(`\r
`)+`\r
`}function x(e,t,n=`text/csv;charset=utf-8`){let r=URL.createObjectURL(new Blob([t],{type:n})),i=document.createElement(`a`);i.href=r,i.download=e,document.body.append(i),i.click(),i.remove(),setTimeout(()=>URL.revokeObjectURL(r),0)}var S=[`FIRST_TOUCH`,`LAST_TOUCH`,`LINEAR`,`TIME_DECAY`,`POSITION_BASED`],C={FIRST_TOUCH:`First touch`,LAST_TOUCH:`Last touch`,LINEAR:`Linear`,TIME_DECAY:`Time decay`,POSITION_BASED:`Position based`};function w(e,t){return(t===`SOURCE`?e.source:t===`MEDIUM`?e.medium:e.campaign)??`(none)`}function T(e,t,n){let r=new Map,i=e=>{let t=r.get(e);if(!t){let i=n.get(e)??null,a=()=>E(0,0,i);t={channel:e,spend:i,byModel:Object.fromEntries(S.map(e=>[e,a()]))},r.set(e,t)}return t};for(let n of e){let e=n.model;if(S.includes(e))for(let r of n.rows){let n=i(w(r,t)),a=n.byModel[e];n.byModel[e]=E(a.conversions+r.conversions,a.revenue+r.revenue,n.spend)}}for(let e of n.keys())i(e);return[...r.values()].sort((e,t)=>t.byModel.LAST_TOUCH.revenue-e.byModel.LAST_TOUCH.revenue||e.channel.localeCompare(t.channel))}function E(e,t,n){let r=n!=null&&n>0;return{conversions:e,revenue:t,roas:r?t/n:null,roi:r?(t-n)/n:null}}function D(e,t){let n=new Map;for(let r of e){if(r.spend===0)continue;let e=t===`CAMPAIGN`?r.utmCampaign:t===`SOURCE`?O(r.platform):`cpc`;n.set(e,(n.get(e)??0)+r.spend)}return n}function O(e){return e===`FACEBOOK`?`facebook`:e.toLowerCase()}function k(e,t){return b([t.toLowerCase(),`model`,`conversions`,`revenue`,`spend`,`roas`,`roi`],e.flatMap(e=>S.map(t=>{let n=e.byModel[t];return[e.channel,t,n.conversions,n.revenue,e.spend,n.roas,n.roi]})))}var A=(function(){var e=[{alias:null,args:null,concreteType:`AttributionEvent`,kind:`LinkedField`,name:`eventTracked`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`eventType`,storageKey:null}],storageKey:null}];return{fragment:{argumentDefinitions:[],kind:`Fragment`,metadata:null,name:`useLiveRefetchSubscription`,selections:e,type:`Subscription`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[],kind:`Operation`,name:`useLiveRefetchSubscription`,selections:e},params:{cacheID:`2a82926fe49a565246067dd6a353d789`,id:null,metadata:{},name:`useLiveRefetchSubscription`,operationKind:`subscription`,text:`subscription useLiveRefetchSubscription {
  eventTracked {
    id
    eventType
  }
}
`}}})();A.hash=`414e2a1d471fd6532c04e1f61fffa9d5`;var j=2e3;function M(e){let[t,n]=(0,_.useState)(0),r=(0,_.useRef)(0),i=(0,_.useRef)(void 0);(0,_.useEffect)(()=>()=>clearTimeout(i.current),[]);let a=e?.join(`,`)??``,o=(0,_.useMemo)(()=>({subscription:A,variables:{},onNext:e=>{let t=e?.eventTracked.eventType;if(!t||a&&!a.split(`,`).includes(t)||i.current)return;let o=Math.max(0,r.current+j-Date.now());i.current=setTimeout(()=>{i.current=void 0,r.current=Date.now(),n(e=>e+1)},o)}}),[a]);return(0,v.useSubscription)(o),t}var N=t(),P=[{value:`SOURCE`,label:`Sources`,column:`Source`},{value:`MEDIUM`,label:`Media`,column:`Medium`},{value:`CAMPAIGN`,label:`Campaigns`,column:`Campaign`}];function F(){let{organization:e}=a(),[t,n]=c(),[r,i]=(0,_.useState)(`SOURCE`),s=o(t,e.timezone)??o({kind:`last`,days:30},e.timezone);return(0,N.jsxs)(N.Fragment,{children:[(0,N.jsxs)(`div`,{className:`screen-head`,children:[(0,N.jsx)(`h1`,{children:`Attribution`}),(0,N.jsx)(u,{choice:t,onChange:n,timeZone:e.timezone,invalid:!o(t,e.timezone)})]}),(0,N.jsxs)(`div`,{className:`filters`,children:[(0,N.jsxs)(`label`,{children:[`Group by`,(0,N.jsx)(`select`,{value:r,onChange:e=>i(e.target.value),children:P.map(e=>(0,N.jsx)(`option`,{value:e.value,children:e.label},e.value))})]}),(0,N.jsxs)(`p`,{className:`muted`,"data-testid":`lookback`,"data-value":e.attributionWindowDays,children:[`Lookback window: `,e.attributionWindowDays,` days before each conversion. Time decay halves a touch's weight every 7 days; position based gives 40 % to the first and the last touch and shares 20 % between the others.`]})]}),(0,N.jsx)(I,{from:s.from,to:s.to,by:r})]})}function I({from:t,to:n,by:r}){let{organization:i}=a(),o=M([`purchase`,`refund`]),c=(0,v.useLazyLoadQuery)(g,{from:t,to:n,groupBy:r},{fetchPolicy:`store-and-network`,fetchKey:o}),u=T([c.firstTouch,c.lastTouch,c.linear,c.timeDecay,c.positionBased],r,D((c.campaigns.edges??[]).flatMap(e=>e?.node?[{platform:e.node.platform,utmCampaign:e.node.utmCampaign,spend:e.node.metrics.reduce((e,t)=>e+t.cost,0)}]:[]),r)),_=c.lastTouch.currency,y=e=>e==null?`—`:d(e,_),b=i.timezone;function w(){let e=s(l(Date.parse(c.lastTouch.from),b)),t=s(l(Date.parse(c.lastTouch.to),b));x(`attribution-${r.toLowerCase()}-${e}-to-${t}.csv`,k(u,r))}return(0,N.jsxs)(`section`,{className:`panel`,"aria-labelledby":`attribution-title`,"data-testid":`attribution`,"data-from":c.lastTouch.from,"data-to":c.lastTouch.to,children:[(0,N.jsxs)(`div`,{className:`screen-head`,children:[(0,N.jsx)(`h2`,{id:`attribution-title`,children:`Attributed revenue by model`}),(0,N.jsx)(`button`,{type:`button`,onClick:w,disabled:u.length===0,children:`Download CSV`})]}),u.length===0?(0,N.jsx)(e,{children:`No conversions in this range.`}):(0,N.jsx)(h,{label:`Attribution by model`,children:(0,N.jsxs)(`table`,{className:`data attribution`,children:[(0,N.jsxs)(`thead`,{children:[(0,N.jsxs)(`tr`,{children:[(0,N.jsx)(`th`,{scope:`col`,rowSpan:2,children:P.find(e=>e.value===r)?.column}),(0,N.jsx)(`th`,{scope:`col`,rowSpan:2,className:`num`,children:`Spend`}),S.map(e=>(0,N.jsx)(`th`,{scope:`colgroup`,colSpan:4,className:`model-head`,children:C[e]},e))]}),(0,N.jsx)(`tr`,{children:S.flatMap(e=>[(0,N.jsx)(`th`,{scope:`col`,className:`num`,children:`Revenue`},`${e}-r`),(0,N.jsx)(`th`,{scope:`col`,className:`num`,children:`Conv.`},`${e}-c`),(0,N.jsx)(`th`,{scope:`col`,className:`num`,children:`ROAS`},`${e}-roas`),(0,N.jsx)(`th`,{scope:`col`,className:`num`,children:`ROI`},`${e}-roi`)])})]}),(0,N.jsx)(`tbody`,{children:u.map(e=>(0,N.jsxs)(`tr`,{"data-channel":e.channel,children:[(0,N.jsx)(`th`,{scope:`row`,children:e.channel}),(0,N.jsx)(`td`,{className:`num`,"data-field":`spend`,"data-value":e.spend??``,children:y(e.spend)}),S.flatMap(t=>{let n=e.byModel[t];return[(0,N.jsx)(`td`,{className:`num`,"data-model":t,"data-field":`revenue`,"data-value":n.revenue,children:y(n.revenue)},`${t}-r`),(0,N.jsx)(`td`,{className:`num`,"data-model":t,"data-field":`conversions`,"data-value":n.conversions,children:m(n.conversions)},`${t}-c`),(0,N.jsx)(`td`,{className:`num`,"data-model":t,"data-field":`roas`,"data-value":n.roas??``,children:p(n.roas)},`${t}-roas`),(0,N.jsx)(`td`,{className:`num`,"data-model":t,"data-field":`roi`,"data-value":n.roi??``,children:f(n.roi)},`${t}-roi`)]})]},e.channel))})]})})]})}export{F as default};