import{a as e,c as t,i as n,l as r,p as i,r as a,t as o,u as s}from"./index-DR5gh50b.js";import{a as c,i as l,n as u,r as d,t as f}from"./Field-DZt-2-dG.js";import{r as p}from"./format-BYSptvHr.js";import{t as m}from"./connection-Dod6qXPH.js";n();var h=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`input`}],t=[{kind:`Variable`,name:`input`,variableName:`input`}],n={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},r={alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},i={alias:null,args:null,kind:`ScalarField`,name:`guardsScore`,storageKey:null};return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`ContentGenerateMutation`,selections:[{alias:null,args:t,concreteType:`Content`,kind:`LinkedField`,name:`generateContent`,plural:!1,selections:[n,r,i,{args:null,kind:`FragmentSpread`,name:`Content_post`}],storageKey:null}],type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`ContentGenerateMutation`,selections:[{alias:null,args:t,concreteType:`Content`,kind:`LinkedField`,name:`generateContent`,plural:!1,selections:[n,r,i,{alias:null,args:null,kind:`ScalarField`,name:`type`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`kind`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`title`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hook`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`guardIssues`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`generator`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`createdAt`,storageKey:null},{alias:null,args:null,concreteType:`Product`,kind:`LinkedField`,name:`product`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},n],storageKey:null},{alias:null,args:null,concreteType:`ContentVariant`,kind:`LinkedField`,name:`variants`,plural:!0,selections:[{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`text`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hashtags`,storageKey:null}],storageKey:null}],storageKey:null}]},params:{cacheID:`05275d4d717d84ab100f033a31f940e4`,id:null,metadata:{},name:`ContentGenerateMutation`,operationKind:`mutation`,text:`mutation ContentGenerateMutation(
  $input: GenerateContentInput!
) {
  generateContent(input: $input) {
    id
    status
    guardsScore
    ...Content_post
  }
}

fragment Content_post on Content {
  id
  status
  type
  kind
  title
  hook
  guardsScore
  guardIssues
  generator
  failureReason
  createdAt
  product {
    name
    id
  }
  variants {
    platform
    text
    hashtags
  }
}
`}}})();h.hash=`3c99e06bcb5942c996ce3a2f01daf791`;var g=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`id`},{defaultValue:null,kind:`LocalArgument`,name:`input`}],t=[{kind:`Variable`,name:`id`,variableName:`id`},{kind:`Variable`,name:`input`,variableName:`input`}],n={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null};return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`ContentUpdateMutation`,selections:[{alias:null,args:t,concreteType:`Content`,kind:`LinkedField`,name:`updateContent`,plural:!1,selections:[n,{args:null,kind:`FragmentSpread`,name:`Content_post`}],storageKey:null}],type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`ContentUpdateMutation`,selections:[{alias:null,args:t,concreteType:`Content`,kind:`LinkedField`,name:`updateContent`,plural:!1,selections:[n,{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`type`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`kind`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`title`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hook`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`guardsScore`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`guardIssues`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`generator`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`createdAt`,storageKey:null},{alias:null,args:null,concreteType:`Product`,kind:`LinkedField`,name:`product`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},n],storageKey:null},{alias:null,args:null,concreteType:`ContentVariant`,kind:`LinkedField`,name:`variants`,plural:!0,selections:[{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`text`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hashtags`,storageKey:null}],storageKey:null}],storageKey:null}]},params:{cacheID:`08f389a21dbc70597f16a89441365508`,id:null,metadata:{},name:`ContentUpdateMutation`,operationKind:`mutation`,text:`mutation ContentUpdateMutation(
  $id: ID!
  $input: UpdateContentInput!
) {
  updateContent(id: $id, input: $input) {
    id
    ...Content_post
  }
}

fragment Content_post on Content {
  id
  status
  type
  kind
  title
  hook
  guardsScore
  guardIssues
  generator
  failureReason
  createdAt
  product {
    name
    id
  }
  variants {
    platform
    text
    hashtags
  }
}
`}}})();g.hash=`0fd880756be213f83a11080f4b243b3b`;var _=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`id`}],t=[{alias:null,args:[{kind:`Variable`,name:`id`,variableName:`id`}],concreteType:`Content`,kind:`LinkedField`,name:`rejectContent`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null}],storageKey:null}];return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`ContentRejectMutation`,selections:t,type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`ContentRejectMutation`,selections:t},params:{cacheID:`6fd14f81f3d01b531eb241e9b9672ca7`,id:null,metadata:{},name:`ContentRejectMutation`,operationKind:`mutation`,text:`mutation ContentRejectMutation(
  $id: ID!
) {
  rejectContent(id: $id) {
    id
    status
  }
}
`}}})();_.hash=`fcf3631f2b325b0009df75c2dce2824e`;var v=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`id`}],t=[{alias:null,args:[{kind:`Variable`,name:`id`,variableName:`id`}],concreteType:`Content`,kind:`LinkedField`,name:`publishContent`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`externalPostId`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`publishedAt`,storageKey:null}],storageKey:null}];return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`ContentPublishMutation`,selections:t,type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`ContentPublishMutation`,selections:t},params:{cacheID:`acb582d62f1f2e2538a5979d1fe3e81c`,id:null,metadata:{},name:`ContentPublishMutation`,operationKind:`mutation`,text:`mutation ContentPublishMutation(
  $id: ID!
) {
  publishContent(id: $id) {
    id
    status
    externalPostId
    publishedAt
  }
}
`}}})();v.hash=`04f905a3de33aba14e614a0cb86cf976`;var y={argumentDefinitions:[],kind:`Fragment`,metadata:null,name:`Content_post`,selections:[{alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`type`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`kind`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`title`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hook`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`guardsScore`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`guardIssues`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`generator`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`createdAt`,storageKey:null},{alias:null,args:null,concreteType:`Product`,kind:`LinkedField`,name:`product`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`ContentVariant`,kind:`LinkedField`,name:`variants`,plural:!0,selections:[{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`text`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hashtags`,storageKey:null}],storageKey:null}],type:`Content`,abstractKey:null};y.hash=`a257f20dde77f7314c349aa78846efc6`;var b=(function(){var e={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},t={alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null};return{fragment:{argumentDefinitions:[],kind:`Fragment`,metadata:null,name:`ContentSubscription`,selections:[{alias:null,args:null,concreteType:`Content`,kind:`LinkedField`,name:`contentUpdated`,plural:!1,selections:[e,t,{args:null,kind:`FragmentSpread`,name:`Content_post`}],storageKey:null}],type:`Subscription`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[],kind:`Operation`,name:`ContentSubscription`,selections:[{alias:null,args:null,concreteType:`Content`,kind:`LinkedField`,name:`contentUpdated`,plural:!1,selections:[e,t,{alias:null,args:null,kind:`ScalarField`,name:`type`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`kind`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`title`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hook`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`guardsScore`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`guardIssues`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`generator`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`createdAt`,storageKey:null},{alias:null,args:null,concreteType:`Product`,kind:`LinkedField`,name:`product`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},e],storageKey:null},{alias:null,args:null,concreteType:`ContentVariant`,kind:`LinkedField`,name:`variants`,plural:!0,selections:[{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`text`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hashtags`,storageKey:null}],storageKey:null}],storageKey:null}]},params:{cacheID:`36d47c622cc39d6282fe4e945678aeb3`,id:null,metadata:{},name:`ContentSubscription`,operationKind:`subscription`,text:`subscription ContentSubscription {
  contentUpdated {
    id
    status
    ...Content_post
  }
}

fragment Content_post on Content {
  id
  status
  type
  kind
  title
  hook
  guardsScore
  guardIssues
  generator
  failureReason
  createdAt
  product {
    name
    id
  }
  variants {
    platform
    text
    hashtags
  }
}
`}}})();b.hash=`a70ed53145b3d1373d8866e49d186657`;var x=(function(){var e={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},t={alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},n={alias:null,args:null,kind:`ScalarField`,name:`__typename`,storageKey:null},r={alias:null,args:null,kind:`ScalarField`,name:`cursor`,storageKey:null},i={alias:null,args:null,concreteType:`PageInfo`,kind:`LinkedField`,name:`pageInfo`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`endCursor`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hasNextPage`,storageKey:null}],storageKey:null},a={kind:`ClientExtension`,selections:[{alias:null,args:null,kind:`ScalarField`,name:`__id`,storageKey:null}]},o={kind:`Literal`,name:`first`,value:50},s={kind:`Literal`,name:`orderBy`,value:{direction:`DESC`,field:`CREATED_AT`}},c={alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},l={alias:null,args:[o,s],concreteType:`ProductConnection`,kind:`LinkedField`,name:`products`,plural:!1,selections:[{alias:null,args:null,concreteType:`ProductEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`Product`,kind:`LinkedField`,name:`node`,plural:!1,selections:[e,c],storageKey:null}],storageKey:null}],storageKey:`products(first:50,orderBy:{"direction":"DESC","field":"CREATED_AT"})`},u=[o,s,{kind:`Literal`,name:`where`,value:{status:`READY`}}];return{fragment:{argumentDefinitions:[],kind:`Fragment`,metadata:null,name:`ContentQuery`,selections:[{alias:`contents`,args:null,concreteType:`ContentConnection`,kind:`LinkedField`,name:`__Content_contents_connection`,plural:!1,selections:[{alias:null,args:null,concreteType:`ContentEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`Content`,kind:`LinkedField`,name:`node`,plural:!1,selections:[e,t,{args:null,kind:`FragmentSpread`,name:`Content_post`},n],storageKey:null},r],storageKey:null},i,a],storageKey:null},l],type:`Query`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[],kind:`Operation`,name:`ContentQuery`,selections:[{alias:null,args:u,concreteType:`ContentConnection`,kind:`LinkedField`,name:`contents`,plural:!1,selections:[{alias:null,args:null,concreteType:`ContentEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`Content`,kind:`LinkedField`,name:`node`,plural:!1,selections:[e,t,{alias:null,args:null,kind:`ScalarField`,name:`type`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`kind`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`title`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hook`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`guardsScore`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`guardIssues`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`generator`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`failureReason`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`createdAt`,storageKey:null},{alias:null,args:null,concreteType:`Product`,kind:`LinkedField`,name:`product`,plural:!1,selections:[c,e],storageKey:null},{alias:null,args:null,concreteType:`ContentVariant`,kind:`LinkedField`,name:`variants`,plural:!0,selections:[{alias:null,args:null,kind:`ScalarField`,name:`platform`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`text`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hashtags`,storageKey:null}],storageKey:null},n],storageKey:null},r],storageKey:null},i,a],storageKey:`contents(first:50,orderBy:{"direction":"DESC","field":"CREATED_AT"},where:{"status":"READY"})`},{alias:null,args:u,filters:[],handle:`connection`,key:`Content_contents`,kind:`LinkedHandle`,name:`contents`},l]},params:{cacheID:`afae9e7a8bfb0f3898cb1108b40a1719`,id:null,metadata:{connection:[{count:null,cursor:null,direction:`forward`,path:[`contents`]}]},name:`ContentQuery`,operationKind:`query`,text:`query ContentQuery {
  contents(first: 50, where: {status: READY}, orderBy: {field: CREATED_AT, direction: DESC}) {
    edges {
      node {
        id
        status
        ...Content_post
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

fragment Content_post on Content {
  id
  status
  type
  kind
  title
  hook
  guardsScore
  guardIssues
  generator
  failureReason
  createdAt
  product {
    name
    id
  }
  variants {
    platform
    text
    hashtags
  }
}
`}}})();x.hash=`7d0c84ed64d43ca5c2e2079090a02fbe`;var S=i(),C=a(),w=t(),T=`Content_contents`,E=[`INSTAGRAM`,`TIKTOK`,`FACEBOOK`,`LINKEDIN`,`X`];function D(){let{role:t}=o(),n=(0,C.useLazyLoadQuery)(x,{},{fetchPolicy:`store-and-network`});k();let r=c(t,`content.manage`),i=(n.contents.edges??[]).flatMap(e=>e?.node&&e.node.status===`READY`?[e.node]:[]),a=m(n.products);return(0,w.jsxs)(w.Fragment,{children:[(0,w.jsx)(`div`,{className:`screen-head`,children:(0,w.jsx)(`h1`,{children:`Content`})}),r&&(0,w.jsx)(M,{products:a}),(0,w.jsxs)(`section`,{"aria-labelledby":`queue-title`,children:[(0,w.jsxs)(`h2`,{id:`queue-title`,children:[`Review queue (`,i.length,`)`]}),i.length===0?(0,w.jsx)(e,{children:`Nothing waits for review: posts that pass the guards and are not published automatically appear here.`}):(0,w.jsx)(`div`,{className:`cards`,children:i.map(e=>(0,w.jsx)(A,{post:e,manage:r},e.id))})]})]})}function O(e,t){let n=e.getRootField(t),r=C.ConnectionHandler.getConnection(e.getRoot(),T);if(!n||!r||n.getValue(`status`)!==`READY`)return;let i=n.getDataID();(r.getLinkedRecords(`edges`)??[]).some(e=>e?.getLinkedRecord(`node`)?.getDataID()===i)||C.ConnectionHandler.insertEdgeBefore(r,C.ConnectionHandler.createEdge(e,r,n,`ContentEdge`))}function k(){let e=(0,S.useMemo)(()=>({subscription:b,variables:{},updater:e=>O(e,`contentUpdated`)}),[]);(0,C.useSubscription)(e)}function A({post:e,manage:t}){let{organization:n}=o(),i=(0,C.useFragment)(y,e),[a,s]=(0,S.useState)(!1),[c,l]=(0,S.useState)(null),[u,d]=(0,C.useMutation)(v),[f,m]=(0,C.useMutation)(_),h=i.title||i.hook||`${i.kind??`Post`} for ${i.product?.name??`a product`}`,g=e=>{l(null),e({variables:{id:i.id},onError:e=>l(r(e))})};return(0,w.jsxs)(`article`,{className:`panel post`,"data-content":i.id,"aria-labelledby":`post-${i.id}`,children:[(0,w.jsx)(`h3`,{id:`post-${i.id}`,children:h}),(0,w.jsxs)(`p`,{className:`muted`,children:[i.product?.name??`No product`,` · `,i.kind??i.type,` · `,i.generator??`unknown generator`,` · `,p(i.createdAt,n.timezone)]}),(0,w.jsxs)(`p`,{children:[`Guard score `,(0,w.jsx)(`strong`,{"data-testid":`guard-score`,children:i.guardsScore??`—`}),` / 100`]}),(i.guardIssues??[]).length>0&&(0,w.jsx)(`ul`,{className:`issues`,"aria-label":`Guard issues`,children:i.guardIssues.map(e=>(0,w.jsx)(`li`,{children:e},e))}),a?(0,w.jsx)(j,{post:i,onDone:()=>s(!1)}):(i.variants??[]).map(e=>(0,w.jsxs)(`div`,{className:`variant`,children:[(0,w.jsx)(`strong`,{children:e.platform}),(0,w.jsx)(`p`,{children:e.text}),e.hashtags.length>0&&(0,w.jsx)(`p`,{className:`muted`,children:e.hashtags.map(e=>`#${e.replace(/^#/,``)}`).join(` `)})]},e.platform)),t&&!a&&(0,w.jsxs)(`div`,{className:`actions`,children:[(0,w.jsx)(`button`,{type:`button`,className:`primary`,onClick:()=>g(u),disabled:d||m,"aria-label":`Publish ${h}`,children:d?`Publishing…`:`Publish`}),(0,w.jsx)(`button`,{type:`button`,onClick:()=>s(!0),"aria-label":`Edit ${h}`,children:`Edit`}),(0,w.jsx)(`button`,{type:`button`,className:`danger`,onClick:()=>g(f),disabled:d||m,"aria-label":`Reject ${h}`,children:`Reject`})]}),c&&(0,w.jsx)(`p`,{className:`form-error`,role:`alert`,children:c})]})}function j({post:e,onDone:t}){let[n,r]=(0,S.useState)({fields:{},form:[]}),[i,a]=(0,C.useMutation)(g);function o(n){n.preventDefault();let a=new FormData(n.currentTarget),o=(e.variants??[]).map(e=>({platform:e.platform,text:String(a.get(`variant-${e.platform}`)??``),hashtags:[...e.hashtags]}));i({variables:{id:e.id,input:{title:String(a.get(`title`)??``),hook:String(a.get(`hook`)??``),variants:o}},onCompleted:t,onError:e=>r(s(e,[`title`,`hook`,`variants`]))})}let c=`edit-${e.id}`;return(0,w.jsxs)(`form`,{onSubmit:o,noValidate:!0,children:[(0,w.jsx)(f,{errors:n.form}),(0,w.jsx)(l,{form:c,name:`title`,label:`Title`,defaultValue:e.title??``,error:n.fields.title}),(0,w.jsx)(l,{form:c,name:`hook`,label:`Hook`,defaultValue:e.hook??``,error:n.fields.hook}),(e.variants??[]).map(e=>(0,w.jsx)(d,{form:c,name:`variant-${e.platform}`,label:e.platform,defaultValue:e.text,rows:4,error:n.fields.variants},e.platform)),(0,w.jsxs)(`div`,{className:`actions`,children:[(0,w.jsx)(`button`,{type:`submit`,className:`primary`,disabled:a,children:`Save`}),(0,w.jsx)(`button`,{type:`button`,onClick:t,children:`Cancel`})]})]})}function M({products:t}){let[n,r]=(0,S.useState)({fields:{},form:[]}),[i,a]=(0,S.useState)(null),[o,c]=(0,C.useMutation)(h);function d(e){e.preventDefault();let t=new FormData(e.currentTarget),n=E.filter(e=>t.get(`platform-${e}`)===`on`);r({fields:{},form:[]}),a(null),o({variables:{input:{productId:String(t.get(`productId`)??``),kind:String(t.get(`kind`)??``).trim()||null,platforms:n.length?n:null}},updater:e=>O(e,`generateContent`),onCompleted:e=>{let t=e.generateContent;a(t.status===`READY`?`A post scored ${t.guardsScore??`—`} and waits in the queue below.`:`A post was generated and is ${t.status.toLowerCase().replace(`_`,` `)}.`)},onError:e=>r(s(e,[`productId`,`kind`,`platforms`]))})}return t.length===0?(0,w.jsx)(e,{children:`Add a product to generate posts about it.`}):(0,w.jsxs)(`form`,{className:`panel`,onSubmit:d,noValidate:!0,"aria-labelledby":`generate-title`,children:[(0,w.jsx)(`h2`,{id:`generate-title`,children:`Generate a post`}),(0,w.jsx)(f,{errors:n.form}),(0,w.jsxs)(`div`,{className:`form-grid`,children:[(0,w.jsx)(u,{form:`generate`,name:`productId`,label:`Product`,error:n.fields.productId,children:t.map(e=>(0,w.jsx)(`option`,{value:e.id,children:e.name},e.id))}),(0,w.jsx)(l,{form:`generate`,name:`kind`,label:`Kind`,placeholder:`educational, offer, tip…`,hint:`Rotates when empty.`,error:n.fields.kind}),(0,w.jsxs)(`fieldset`,{children:[(0,w.jsx)(`legend`,{children:`Platforms (all when none is chosen)`}),E.map(e=>(0,w.jsxs)(`label`,{className:`inline`,children:[(0,w.jsx)(`input`,{type:`checkbox`,name:`platform-${e}`}),` `,e]},e))]})]}),(0,w.jsxs)(`div`,{className:`actions`,children:[(0,w.jsx)(`button`,{type:`submit`,className:`primary`,disabled:c,children:c?`Generating…`:`Generate`}),i&&(0,w.jsx)(`span`,{role:`status`,children:i})]})]})}export{D as default};