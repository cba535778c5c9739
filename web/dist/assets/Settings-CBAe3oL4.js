import{a as e,c as t,i as n,l as r,o as i,p as a,r as o,s,t as c,u as l}from"./index-DR5gh50b.js";import{a as u,i as d,n as f,o as p,t as m}from"./Field-DZt-2-dG.js";import{t as h}from"./TableWrap-3Wnslhnk.js";import{r as g}from"./format-BYSptvHr.js";import{t as _}from"./connection-Dod6qXPH.js";n();var v=(function(){var e={defaultValue:null,kind:`LocalArgument`,name:`connections`},t={defaultValue:null,kind:`LocalArgument`,name:`input`},n=[{kind:`Variable`,name:`input`,variableName:`input`}],r={alias:null,args:null,kind:`ScalarField`,name:`secret`,storageKey:null},i={alias:null,args:null,concreteType:`ApiKey`,kind:`LinkedField`,name:`apiKey`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`prefix`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`role`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`createdAt`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`lastUsedAt`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revokedAt`,storageKey:null}],storageKey:null};return{fragment:{argumentDefinitions:[e,t],kind:`Fragment`,metadata:null,name:`SettingsCreateKeyMutation`,selections:[{alias:null,args:n,concreteType:`CreatedApiKey`,kind:`LinkedField`,name:`createApiKey`,plural:!1,selections:[r,i],storageKey:null}],type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[t,e],kind:`Operation`,name:`SettingsCreateKeyMutation`,selections:[{alias:null,args:n,concreteType:`CreatedApiKey`,kind:`LinkedField`,name:`createApiKey`,plural:!1,selections:[r,i,{alias:null,args:null,filters:null,handle:`prependNode`,key:``,kind:`LinkedHandle`,name:`apiKey`,handleArgs:[{kind:`Variable`,name:`connections`,variableName:`connections`},{kind:`Literal`,name:`edgeTypeName`,value:`ApiKeyEdge`}]}],storageKey:null}]},params:{cacheID:`fa909a36ff83b416f3d75d8a046f4c01`,id:null,metadata:{},name:`SettingsCreateKeyMutation`,operationKind:`mutation`,text:`mutation SettingsCreateKeyMutation(
  $input: CreateApiKeyInput!
) {
  createApiKey(input: $input) {
    secret
    apiKey {
      id
      name
      prefix
      role
      createdAt
      lastUsedAt
      revokedAt
    }
  }
}
`}}})();v.hash=`b2a3c262fbfcd46a99eaad1c672ebcdf`;var y=(function(){var e={defaultValue:null,kind:`LocalArgument`,name:`connections`},t={defaultValue:null,kind:`LocalArgument`,name:`input`},n=[{kind:`Variable`,name:`input`,variableName:`input`}],r={alias:null,args:n,concreteType:`Invitation`,kind:`LinkedField`,name:`inviteMember`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`email`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`role`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`expiresAt`,storageKey:null}],storageKey:null};return{fragment:{argumentDefinitions:[e,t],kind:`Fragment`,metadata:null,name:`SettingsInviteMutation`,selections:[r],type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[t,e],kind:`Operation`,name:`SettingsInviteMutation`,selections:[r,{alias:null,args:n,filters:null,handle:`prependNode`,key:``,kind:`LinkedHandle`,name:`inviteMember`,handleArgs:[{kind:`Variable`,name:`connections`,variableName:`connections`},{kind:`Literal`,name:`edgeTypeName`,value:`InvitationEdge`}]}]},params:{cacheID:`1026809d4b0f0209895f4af16cc27d33`,id:null,metadata:{},name:`SettingsInviteMutation`,operationKind:`mutation`,text:`mutation SettingsInviteMutation(
  $input: InviteMemberInput!
) {
  inviteMember(input: $input) {
    id
    email
    role
    expiresAt
  }
}
`}}})();y.hash=`e3a22d60d6fb9d9f47ba1d139fa38b93`;var b=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`id`}],t=[{alias:null,args:[{kind:`Variable`,name:`id`,variableName:`id`}],concreteType:`ApiKey`,kind:`LinkedField`,name:`revokeApiKey`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revokedAt`,storageKey:null}],storageKey:null}];return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`SettingsRevokeKeyMutation`,selections:t,type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`SettingsRevokeKeyMutation`,selections:t},params:{cacheID:`d0325b57b31d08eac158445e62481d17`,id:null,metadata:{},name:`SettingsRevokeKeyMutation`,operationKind:`mutation`,text:`mutation SettingsRevokeKeyMutation(
  $id: ID!
) {
  revokeApiKey(id: $id) {
    id
    revokedAt
  }
}
`}}})();b.hash=`bf60de16e319271aec0af821063a2240`;var x=(function(){var e={defaultValue:null,kind:`LocalArgument`,name:`connections`},t={defaultValue:null,kind:`LocalArgument`,name:`id`},n=[{kind:`Variable`,name:`id`,variableName:`id`}],r={alias:null,args:n,kind:`ScalarField`,name:`revokeInvitation`,storageKey:null};return{fragment:{argumentDefinitions:[e,t],kind:`Fragment`,metadata:null,name:`SettingsRevokeInvitationMutation`,selections:[r],type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[t,e],kind:`Operation`,name:`SettingsRevokeInvitationMutation`,selections:[r,{alias:null,args:n,filters:null,handle:`deleteEdge`,key:``,kind:`ScalarHandle`,name:`revokeInvitation`,handleArgs:[{kind:`Variable`,name:`connections`,variableName:`connections`}]}]},params:{cacheID:`94ace2bb8e622e0012165e3957ed9202`,id:null,metadata:{},name:`SettingsRevokeInvitationMutation`,operationKind:`mutation`,text:`mutation SettingsRevokeInvitationMutation(
  $id: ID!
) {
  revokeInvitation(id: $id)
}
`}}})();x.hash=`f6dba69eacb2dc6af312fd66c15d18c7`;var S=(function(){var e={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},t={alias:null,args:null,kind:`ScalarField`,name:`role`,storageKey:null},n={alias:null,args:null,kind:`ScalarField`,name:`__typename`,storageKey:null},r={alias:null,args:null,kind:`ScalarField`,name:`cursor`,storageKey:null},i={alias:null,args:null,concreteType:`PageInfo`,kind:`LinkedField`,name:`pageInfo`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`endCursor`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hasNextPage`,storageKey:null}],storageKey:null},a={kind:`ClientExtension`,selections:[{alias:null,args:null,kind:`ScalarField`,name:`__id`,storageKey:null}]},o=[{alias:null,args:null,concreteType:`InvitationEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`Invitation`,kind:`LinkedField`,name:`node`,plural:!1,selections:[e,{alias:null,args:null,kind:`ScalarField`,name:`email`,storageKey:null},t,{alias:null,args:null,kind:`ScalarField`,name:`expiresAt`,storageKey:null},n],storageKey:null},r],storageKey:null},i,a],s=[{alias:null,args:null,concreteType:`ApiKeyEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`ApiKey`,kind:`LinkedField`,name:`node`,plural:!1,selections:[e,{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`prefix`,storageKey:null},t,{alias:null,args:null,kind:`ScalarField`,name:`createdAt`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`lastUsedAt`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`revokedAt`,storageKey:null},n],storageKey:null},r],storageKey:null},i,a],c=[{kind:`Literal`,name:`first`,value:100}];return{fragment:{argumentDefinitions:[],kind:`Fragment`,metadata:null,name:`SettingsAdminQuery`,selections:[{alias:`invitations`,args:null,concreteType:`InvitationConnection`,kind:`LinkedField`,name:`__SettingsAdmin_invitations_connection`,plural:!1,selections:o,storageKey:null},{alias:`apiKeys`,args:null,concreteType:`ApiKeyConnection`,kind:`LinkedField`,name:`__SettingsAdmin_apiKeys_connection`,plural:!1,selections:s,storageKey:null}],type:`Query`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[],kind:`Operation`,name:`SettingsAdminQuery`,selections:[{alias:null,args:c,concreteType:`InvitationConnection`,kind:`LinkedField`,name:`invitations`,plural:!1,selections:o,storageKey:`invitations(first:100)`},{alias:null,args:c,filters:null,handle:`connection`,key:`SettingsAdmin_invitations`,kind:`LinkedHandle`,name:`invitations`},{alias:null,args:c,concreteType:`ApiKeyConnection`,kind:`LinkedField`,name:`apiKeys`,plural:!1,selections:s,storageKey:`apiKeys(first:100)`},{alias:null,args:c,filters:null,handle:`connection`,key:`SettingsAdmin_apiKeys`,kind:`LinkedHandle`,name:`apiKeys`}]},params:{cacheID:`697f3b87f1d0f87e13a80fa60430e496`,id:null,metadata:{connection:[{count:null,cursor:null,direction:`forward`,path:[`invitations`]},{count:null,cursor:null,direction:`forward`,path:[`apiKeys`]}]},name:`SettingsAdminQuery`,operationKind:`query`,text:`query SettingsAdminQuery {
  invitations(first: 100) {
    edges {
      node {
        id
        email
        role
        expiresAt
        __typename
      }
      cursor
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
  apiKeys(first: 100) {
    edges {
      node {
        id
        name
        prefix
        role
        createdAt
        lastUsedAt
        revokedAt
        __typename
      }
      cursor
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}
`}}})();S.hash=`2d520509e9f2cb232a81de96a345678c`;var C=(function(){var e={defaultValue:null,kind:`LocalArgument`,name:`connections`},t={defaultValue:null,kind:`LocalArgument`,name:`id`},n=[{kind:`Variable`,name:`id`,variableName:`id`}],r={alias:null,args:n,kind:`ScalarField`,name:`removeMember`,storageKey:null};return{fragment:{argumentDefinitions:[e,t],kind:`Fragment`,metadata:null,name:`SettingsRemoveMemberMutation`,selections:[r],type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[t,e],kind:`Operation`,name:`SettingsRemoveMemberMutation`,selections:[r,{alias:null,args:n,filters:null,handle:`deleteEdge`,key:``,kind:`ScalarHandle`,name:`removeMember`,handleArgs:[{kind:`Variable`,name:`connections`,variableName:`connections`}]}]},params:{cacheID:`8c8d3480ec395c081d5f0d38f097f1fa`,id:null,metadata:{},name:`SettingsRemoveMemberMutation`,operationKind:`mutation`,text:`mutation SettingsRemoveMemberMutation(
  $id: ID!
) {
  removeMember(id: $id)
}
`}}})();C.hash=`08ced3ffc1047919684cdb44af46e5c4`;var w=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`id`},{defaultValue:null,kind:`LocalArgument`,name:`role`}],t=[{alias:null,args:[{kind:`Variable`,name:`id`,variableName:`id`},{kind:`Variable`,name:`role`,variableName:`role`}],concreteType:`Membership`,kind:`LinkedField`,name:`updateMemberRole`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`role`,storageKey:null}],storageKey:null}];return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`SettingsRoleMutation`,selections:t,type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`SettingsRoleMutation`,selections:t},params:{cacheID:`ebcf2f37f08f868f34fd7bcf4f58166b`,id:null,metadata:{},name:`SettingsRoleMutation`,operationKind:`mutation`,text:`mutation SettingsRoleMutation(
  $id: ID!
  $role: Role!
) {
  updateMemberRole(id: $id, role: $role) {
    id
    role
  }
}
`}}})();w.hash=`f6af64f1cfac1dbf984d99dc5da98599`;var T=(function(){var e=[{alias:null,args:null,concreteType:`Organization`,kind:`LinkedField`,name:`rotateTrackingKey`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`trackingKey`,storageKey:null}],storageKey:null}];return{fragment:{argumentDefinitions:[],kind:`Fragment`,metadata:null,name:`SettingsRotateMutation`,selections:e,type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[],kind:`Operation`,name:`SettingsRotateMutation`,selections:e},params:{cacheID:`ef88c2ccde17ea678a5782f6c5ea4ef6`,id:null,metadata:{},name:`SettingsRotateMutation`,operationKind:`mutation`,text:`mutation SettingsRotateMutation {
  rotateTrackingKey {
    id
    trackingKey
  }
}
`}}})();T.hash=`409e80eb2537224fa0bc215c3685e1c9`;var E=(function(){var e=[{defaultValue:null,kind:`LocalArgument`,name:`input`}],t=[{alias:null,args:[{kind:`Variable`,name:`input`,variableName:`input`}],concreteType:`Organization`,kind:`LinkedField`,name:`updateOrganization`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`timezone`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`attributionWindowDays`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`respectDnt`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`allowedOrigins`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`dailyPostCap`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`autoPublishThreshold`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`highValueThreshold`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`ssoDomain`,storageKey:null}],storageKey:null}];return{fragment:{argumentDefinitions:e,kind:`Fragment`,metadata:null,name:`SettingsUpdateMutation`,selections:t,type:`Mutation`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:e,kind:`Operation`,name:`SettingsUpdateMutation`,selections:t},params:{cacheID:`90a4beea7ec255ec63f89dffd76e1601`,id:null,metadata:{},name:`SettingsUpdateMutation`,operationKind:`mutation`,text:`mutation SettingsUpdateMutation(
  $input: UpdateOrganizationInput!
) {
  updateOrganization(input: $input) {
    id
    name
    currency
    timezone
    attributionWindowDays
    respectDnt
    allowedOrigins
    dailyPostCap
    autoPublishThreshold
    highValueThreshold
    ssoDomain
  }
}
`}}})();E.hash=`541d07b538ec14a37e8ed34c364e92a3`;var D=(function(){var e={alias:null,args:null,kind:`ScalarField`,name:`id`,storageKey:null},t={alias:null,args:null,kind:`ScalarField`,name:`name`,storageKey:null},n={alias:null,args:null,concreteType:`Organization`,kind:`LinkedField`,name:`organization`,plural:!1,selections:[e,t,{alias:null,args:null,kind:`ScalarField`,name:`trackingKey`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`currency`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`timezone`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`attributionWindowDays`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`respectDnt`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`allowedOrigins`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`dailyPostCap`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`autoPublishThreshold`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`highValueThreshold`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`ssoDomain`,storageKey:null}],storageKey:null},r=[{alias:null,args:null,concreteType:`MembershipEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`Membership`,kind:`LinkedField`,name:`node`,plural:!1,selections:[e,{alias:null,args:null,kind:`ScalarField`,name:`role`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`createdAt`,storageKey:null},{alias:null,args:null,concreteType:`User`,kind:`LinkedField`,name:`user`,plural:!1,selections:[e,{alias:null,args:null,kind:`ScalarField`,name:`email`,storageKey:null},t,{alias:null,args:null,kind:`ScalarField`,name:`lastSignInAt`,storageKey:null}],storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`__typename`,storageKey:null}],storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`cursor`,storageKey:null}],storageKey:null},{alias:null,args:null,concreteType:`PageInfo`,kind:`LinkedField`,name:`pageInfo`,plural:!1,selections:[{alias:null,args:null,kind:`ScalarField`,name:`endCursor`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`hasNextPage`,storageKey:null}],storageKey:null},{kind:`ClientExtension`,selections:[{alias:null,args:null,kind:`ScalarField`,name:`__id`,storageKey:null}]}],i={alias:null,args:[{kind:`Literal`,name:`first`,value:20},{kind:`Literal`,name:`orderBy`,value:{direction:`DESC`,field:`STARTED_AT`}}],concreteType:`JobRunConnection`,kind:`LinkedField`,name:`jobRuns`,plural:!1,selections:[{alias:null,args:null,concreteType:`JobRunEdge`,kind:`LinkedField`,name:`edges`,plural:!0,selections:[{alias:null,args:null,concreteType:`JobRun`,kind:`LinkedField`,name:`node`,plural:!1,selections:[e,{alias:null,args:null,kind:`ScalarField`,name:`job`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`status`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`trigger`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`startedAt`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`finishedAt`,storageKey:null},{alias:null,args:null,kind:`ScalarField`,name:`error`,storageKey:null}],storageKey:null}],storageKey:null}],storageKey:`jobRuns(first:20,orderBy:{"direction":"DESC","field":"STARTED_AT"})`},a=[{kind:`Literal`,name:`first`,value:100}];return{fragment:{argumentDefinitions:[],kind:`Fragment`,metadata:null,name:`SettingsQuery`,selections:[{alias:null,args:null,concreteType:`Viewer`,kind:`LinkedField`,name:`viewer`,plural:!1,selections:[n],storageKey:null},{alias:`members`,args:null,concreteType:`MembershipConnection`,kind:`LinkedField`,name:`__Settings_members_connection`,plural:!1,selections:r,storageKey:null},i],type:`Query`,abstractKey:null},kind:`Request`,operation:{argumentDefinitions:[],kind:`Operation`,name:`SettingsQuery`,selections:[{alias:null,args:null,concreteType:`Viewer`,kind:`LinkedField`,name:`viewer`,plural:!1,selections:[n,e],storageKey:null},{alias:null,args:a,concreteType:`MembershipConnection`,kind:`LinkedField`,name:`members`,plural:!1,selections:r,storageKey:`members(first:100)`},{alias:null,args:a,filters:null,handle:`connection`,key:`Settings_members`,kind:`LinkedHandle`,name:`members`},i]},params:{cacheID:`62a1c19200a049e4f6148374d3adb61d`,id:null,metadata:{connection:[{count:null,cursor:null,direction:`forward`,path:[`members`]}]},name:`SettingsQuery`,operationKind:`query`,text:`query SettingsQuery {
  viewer {
    organization {
      id
      name
      trackingKey
      currency
      timezone
      attributionWindowDays
      respectDnt
      allowedOrigins
      dailyPostCap
      autoPublishThreshold
      highValueThreshold
      ssoDomain
    }
    id
  }
  members(first: 100) {
    edges {
      node {
        id
        role
        createdAt
        user {
          id
          email
          name
          lastSignInAt
        }
        __typename
      }
      cursor
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
  jobRuns(first: 20, orderBy: {field: STARTED_AT, direction: DESC}) {
    edges {
      node {
        id
        job
        status
        trigger
        startedAt
        finishedAt
        error
      }
    }
  }
}
`}}})();D.hash=`596db5cea14c1170dcefaaa6177669bb`;var O=a(),k=o(),A=t(),j={fields:{},form:[]};function M(){let{role:t}=c(),n=u(t,`organization.manage`),r=(0,k.useLazyLoadQuery)(D,{},{fetchPolicy:`store-and-network`}),i=_(r.members),a=_(r.jobRuns);return(0,A.jsxs)(A.Fragment,{children:[(0,A.jsx)(`div`,{className:`screen-head`,children:(0,A.jsx)(`h1`,{children:`Settings`})}),(0,A.jsx)(F,{org:r.viewer.organization,admin:n}),(0,A.jsx)(I,{trackingKey:r.viewer.organization.trackingKey,admin:n}),(0,A.jsxs)(`section`,{className:`panel`,"aria-labelledby":`members-title`,children:[(0,A.jsx)(`h2`,{id:`members-title`,children:`Members`}),(0,A.jsx)(h,{label:`Members`,children:(0,A.jsxs)(`table`,{className:`data`,"data-testid":`members`,children:[(0,A.jsx)(`thead`,{children:(0,A.jsxs)(`tr`,{children:[(0,A.jsx)(`th`,{scope:`col`,children:`Name`}),(0,A.jsx)(`th`,{scope:`col`,children:`E-mail`}),(0,A.jsx)(`th`,{scope:`col`,children:`Role`}),(0,A.jsx)(`th`,{scope:`col`,children:`Last sign-in`}),n&&(0,A.jsx)(`th`,{scope:`col`,children:`Actions`})]})}),(0,A.jsx)(`tbody`,{children:i.map(e=>(0,A.jsx)(R,{member:e,admin:n,connection:r.members.__id},e.id))})]})})]}),n&&(0,A.jsx)(N,{what:`Invitations and API keys`,children:(0,A.jsx)(z,{})}),(0,A.jsxs)(`section`,{className:`panel`,"aria-labelledby":`jobs-title`,children:[(0,A.jsx)(`h2`,{id:`jobs-title`,children:`Job runs`}),a.length===0?(0,A.jsx)(e,{children:`No job has run yet. The scheduler runs content generation and the ad metrics sync every 6 hours.`}):(0,A.jsx)(h,{label:`Job runs`,children:(0,A.jsxs)(`table`,{className:`data`,children:[(0,A.jsx)(`thead`,{children:(0,A.jsxs)(`tr`,{children:[(0,A.jsx)(`th`,{scope:`col`,children:`Job`}),(0,A.jsx)(`th`,{scope:`col`,children:`Status`}),(0,A.jsx)(`th`,{scope:`col`,children:`Trigger`}),(0,A.jsx)(`th`,{scope:`col`,children:`Started`}),(0,A.jsx)(`th`,{scope:`col`,children:`Finished`}),(0,A.jsx)(`th`,{scope:`col`,children:`Error`})]})}),(0,A.jsx)(`tbody`,{children:a.map(e=>(0,A.jsxs)(`tr`,{children:[(0,A.jsx)(`th`,{scope:`row`,children:e.job}),(0,A.jsx)(`td`,{children:(0,A.jsx)(`span`,{className:`status status-${e.status}`,children:e.status})}),(0,A.jsx)(`td`,{children:e.trigger.toLowerCase()}),(0,A.jsx)(`td`,{children:g(e.startedAt,r.viewer.organization.timezone)}),(0,A.jsx)(`td`,{children:g(e.finishedAt,r.viewer.organization.timezone)}),(0,A.jsx)(`td`,{children:e.error??``})]},e.id))})]})})]})]})}function N({what:e,children:t}){return(0,A.jsx)(s,{what:e,children:(0,A.jsx)(O.Suspense,{fallback:(0,A.jsx)(i,{}),children:t})})}var P=[`name`,`currency`,`timezone`,`attributionWindowDays`,`respectDnt`,`allowedOrigins`,`dailyPostCap`,`autoPublishThreshold`,`highValueThreshold`,`ssoDomain`];function F({org:e,admin:t}){let[n,r]=(0,O.useState)(j),[i,a]=(0,O.useState)(!1),[o,s]=(0,k.useMutation)(E);function c(e){e.preventDefault();let t=new FormData(e.currentTarget),n=e=>String(t.get(e)??``).trim(),i={},s={};for(let e of[`attributionWindowDays`,`dailyPostCap`,`autoPublishThreshold`,`highValueThreshold`]){let t=Number(n(e));n(e)===``||Number.isNaN(t)?s[e]=`Enter a number.`:i[e]=t}if(Object.keys(s).length){r({fields:s,form:[]});return}let c={name:n(`name`),currency:n(`currency`).toUpperCase(),timezone:n(`timezone`),attributionWindowDays:i.attributionWindowDays,respectDnt:t.get(`respectDnt`)===`on`,allowedOrigins:n(`allowedOrigins`).split(/[\s,]+/).filter(Boolean),dailyPostCap:i.dailyPostCap,autoPublishThreshold:i.autoPublishThreshold,highValueThreshold:i.highValueThreshold,ssoDomain:n(`ssoDomain`)};r(j),a(!1),o({variables:{input:c},onCompleted:()=>a(!0),onError:e=>r(l(e,P))})}let u=n.fields;return(0,A.jsxs)(`form`,{className:`panel`,onSubmit:c,noValidate:!0,"aria-labelledby":`org-title`,children:[(0,A.jsx)(`h2`,{id:`org-title`,children:`Organization`}),!t&&(0,A.jsx)(`p`,{className:`muted`,children:`Only an administrator can change these settings.`}),(0,A.jsx)(m,{errors:n.form}),(0,A.jsx)(`fieldset`,{disabled:!t,className:`plain`,children:(0,A.jsxs)(`div`,{className:`form-grid`,children:[(0,A.jsx)(d,{form:`org`,name:`name`,label:`Name`,defaultValue:e.name,error:u.name}),(0,A.jsx)(d,{form:`org`,name:`currency`,label:`Currency (ISO 4217)`,defaultValue:e.currency,error:u.currency}),(0,A.jsx)(d,{form:`org`,name:`timezone`,label:`Time zone (IANA)`,defaultValue:e.timezone,error:u.timezone,hint:`Day boundaries of every report.`}),(0,A.jsx)(d,{form:`org`,name:`attributionWindowDays`,label:`Attribution lookback (days)`,inputMode:`numeric`,defaultValue:e.attributionWindowDays,error:u.attributionWindowDays}),(0,A.jsx)(d,{form:`org`,name:`dailyPostCap`,label:`Posts a day`,inputMode:`numeric`,defaultValue:e.dailyPostCap,error:u.dailyPostCap}),(0,A.jsx)(d,{form:`org`,name:`autoPublishThreshold`,label:`Auto-publish from guard score`,inputMode:`numeric`,defaultValue:e.autoPublishThreshold,error:u.autoPublishThreshold}),(0,A.jsx)(d,{form:`org`,name:`highValueThreshold`,label:`High-value purchase (${e.currency})`,inputMode:`decimal`,defaultValue:e.highValueThreshold,error:u.highValueThreshold}),(0,A.jsx)(d,{form:`org`,name:`ssoDomain`,label:`Single sign-on domain`,defaultValue:e.ssoDomain??``,error:u.ssoDomain}),(0,A.jsx)(d,{form:`org`,name:`allowedOrigins`,label:`Origins allowed to send events`,defaultValue:(e.allowedOrigins??[]).join(`, `),error:u.allowedOrigins,hint:`Comma-separated; empty allows any.`,className:`wide`}),(0,A.jsxs)(`label`,{className:`inline`,children:[(0,A.jsx)(`input`,{type:`checkbox`,name:`respectDnt`,defaultChecked:e.respectDnt}),` Drop hits from browsers that send Do Not Track`]})]})}),t&&(0,A.jsxs)(`div`,{className:`actions form-actions`,children:[(0,A.jsx)(`button`,{type:`submit`,className:`primary`,disabled:s,children:s?`Saving…`:`Save settings`}),i&&(0,A.jsx)(`span`,{role:`status`,children:`Saved.`})]})]})}function I({trackingKey:e,admin:t}){let[n,i]=(0,O.useState)(null),[a,o]=(0,k.useMutation)(T),s=`<script defer src="${window.location.origin}/s.js" data-key="${e}"><\/script>`;return(0,A.jsxs)(`section`,{className:`panel`,"aria-labelledby":`snippet-title`,children:[(0,A.jsx)(`h2`,{id:`snippet-title`,children:`Tracking snippet`}),(0,A.jsx)(`p`,{children:`Put this tag in the <head> of every landing page. The key is public.`}),(0,A.jsx)(`pre`,{className:`snippet`,"data-testid":`snippet`,children:(0,A.jsx)(`code`,{children:s})}),(0,A.jsxs)(`div`,{className:`actions`,children:[(0,A.jsx)(L,{text:s,label:`Copy snippet`}),t&&(0,A.jsx)(`button`,{type:`button`,disabled:o,onClick:()=>{window.confirm(`Make a new tracking key? The old one keeps working for 24 hours.`)&&(i(null),a({variables:{},onError:e=>i(r(e))}))},children:`Rotate tracking key`}),n&&(0,A.jsx)(`span`,{className:`form-error`,role:`alert`,children:n})]})]})}function L({text:e,label:t}){let[n,r]=(0,O.useState)(`idle`);return(0,A.jsxs)(A.Fragment,{children:[(0,A.jsx)(`button`,{type:`button`,onClick:()=>navigator.clipboard.writeText(e).then(()=>r(`copied`),()=>r(`failed`)),children:t}),(0,A.jsx)(`span`,{role:`status`,className:`muted`,children:n===`copied`?`Copied.`:n===`failed`?`The browser refused the clipboard: select the text and copy it.`:``})]})}function R({member:e,admin:t,connection:n}){let{role:i,user:a,organization:o}=c(),[s,l]=(0,O.useState)(null),[u,d]=(0,k.useMutation)(w),[f,m]=(0,k.useMutation)(C),h=p(i),_=t&&e.user.id!==a?.id&&(e.role!==`OWNER`||i===`OWNER`);return(0,A.jsxs)(`tr`,{"data-member":e.user.email,children:[(0,A.jsx)(`th`,{scope:`row`,children:e.user.name}),(0,A.jsx)(`td`,{children:e.user.email}),(0,A.jsx)(`td`,{children:_?(0,A.jsx)(`select`,{"aria-label":`Role of ${e.user.email}`,value:e.role,disabled:d,onChange:t=>{l(null),u({variables:{id:e.id,role:t.target.value},onError:e=>l(r(e))})},children:h.map(e=>(0,A.jsx)(`option`,{value:e,children:e},e))}):e.role}),(0,A.jsx)(`td`,{children:g(e.user.lastSignInAt,o.timezone)}),t&&(0,A.jsxs)(`td`,{children:[_&&(0,A.jsx)(`button`,{type:`button`,className:`danger`,disabled:m,"aria-label":`Remove ${e.user.email}`,onClick:()=>{window.confirm(`Remove ${e.user.email} from the organization?`)&&(l(null),f({variables:{id:e.id,connections:[n]},onError:e=>l(r(e))}))},children:`Remove`}),s&&(0,A.jsx)(`span`,{className:`form-error`,role:`alert`,children:s})]})]})}function z(){let{role:t,organization:n}=c(),i=(0,k.useLazyLoadQuery)(S,{},{fetchPolicy:`store-and-network`}),a=_(i.invitations),o=_(i.apiKeys),s=n.timezone,[l]=(0,k.useMutation)(x),[u]=(0,k.useMutation)(b),[d,f]=(0,O.useState)(null);return(0,A.jsxs)(A.Fragment,{children:[(0,A.jsxs)(`section`,{className:`panel`,"aria-labelledby":`invitations-title`,children:[(0,A.jsx)(`h2`,{id:`invitations-title`,children:`Invitations`}),(0,A.jsx)(B,{connection:i.invitations.__id,roles:p(t)}),a.length===0?(0,A.jsx)(e,{children:`No open invitations.`}):(0,A.jsx)(h,{label:`Invitations`,children:(0,A.jsxs)(`table`,{className:`data`,"data-testid":`invitations`,children:[(0,A.jsx)(`thead`,{children:(0,A.jsxs)(`tr`,{children:[(0,A.jsx)(`th`,{scope:`col`,children:`E-mail`}),(0,A.jsx)(`th`,{scope:`col`,children:`Role`}),(0,A.jsx)(`th`,{scope:`col`,children:`Expires`}),(0,A.jsx)(`th`,{scope:`col`,children:`Actions`})]})}),(0,A.jsx)(`tbody`,{children:a.map(e=>(0,A.jsxs)(`tr`,{"data-invitation":e.email,children:[(0,A.jsx)(`th`,{scope:`row`,children:e.email}),(0,A.jsx)(`td`,{children:e.role}),(0,A.jsx)(`td`,{children:g(e.expiresAt,s)}),(0,A.jsx)(`td`,{children:(0,A.jsx)(`button`,{type:`button`,className:`danger`,"aria-label":`Revoke the invitation of ${e.email}`,onClick:()=>l({variables:{id:e.id,connections:[i.invitations.__id]},onError:e=>f(r(e))}),children:`Revoke`})})]},e.id))})]})})]}),(0,A.jsxs)(`section`,{className:`panel`,"aria-labelledby":`keys-title`,children:[(0,A.jsx)(`h2`,{id:`keys-title`,children:`API keys`}),(0,A.jsx)(V,{connection:i.apiKeys.__id,roles:p(t).filter(e=>e!==`OWNER`)}),o.length===0?(0,A.jsx)(e,{children:`No API keys.`}):(0,A.jsx)(h,{label:`API keys`,children:(0,A.jsxs)(`table`,{className:`data`,children:[(0,A.jsx)(`thead`,{children:(0,A.jsxs)(`tr`,{children:[(0,A.jsx)(`th`,{scope:`col`,children:`Name`}),(0,A.jsx)(`th`,{scope:`col`,children:`Prefix`}),(0,A.jsx)(`th`,{scope:`col`,children:`Role`}),(0,A.jsx)(`th`,{scope:`col`,children:`Created`}),(0,A.jsx)(`th`,{scope:`col`,children:`Last used`}),(0,A.jsx)(`th`,{scope:`col`,children:`Actions`})]})}),(0,A.jsx)(`tbody`,{children:o.map(e=>(0,A.jsxs)(`tr`,{children:[(0,A.jsx)(`th`,{scope:`row`,children:e.name}),(0,A.jsx)(`td`,{children:(0,A.jsxs)(`code`,{children:[e.prefix,`…`]})}),(0,A.jsx)(`td`,{children:e.role}),(0,A.jsx)(`td`,{children:g(e.createdAt,s)}),(0,A.jsx)(`td`,{children:g(e.lastUsedAt,s)}),(0,A.jsx)(`td`,{children:e.revokedAt?`Revoked ${g(e.revokedAt,s)}`:(0,A.jsx)(`button`,{type:`button`,className:`danger`,"aria-label":`Revoke the key ${e.name}`,onClick:()=>{window.confirm(`Revoke the key ${e.name}? Whatever uses it stops working.`)&&u({variables:{id:e.id},onError:e=>f(r(e))})},children:`Revoke`})})]},e.id))})]})}),d&&(0,A.jsx)(`p`,{className:`form-error`,role:`alert`,children:d})]})]})}function B({connection:e,roles:t}){let[n,r]=(0,O.useState)(j),[i,a]=(0,O.useState)(null),[o,s]=(0,k.useMutation)(y);function c(t){t.preventDefault();let n=t.currentTarget,i=new FormData(n),s=String(i.get(`email`)??``).trim();r(j),a(null),o({variables:{input:{email:s,role:String(i.get(`role`))},connections:[e]},onCompleted:()=>{a(`Invitation sent to ${s}.`),n.reset()},onError:e=>r(l(e,[`email`,`role`]))})}return(0,A.jsxs)(`form`,{onSubmit:c,noValidate:!0,"aria-label":`Invite a member`,className:`inline-form`,children:[(0,A.jsx)(m,{errors:n.form}),(0,A.jsxs)(`div`,{className:`form-grid`,children:[(0,A.jsx)(d,{form:`invite`,name:`email`,type:`email`,label:`E-mail`,autoComplete:`off`,error:n.fields.email}),(0,A.jsx)(f,{form:`invite`,name:`role`,label:`Role`,defaultValue:`MARKETER`,error:n.fields.role,children:t.map(e=>(0,A.jsx)(`option`,{value:e,children:e},e))})]}),(0,A.jsxs)(`div`,{className:`actions`,children:[(0,A.jsx)(`button`,{type:`submit`,className:`primary`,disabled:s,children:s?`Inviting…`:`Invite`}),i&&(0,A.jsx)(`span`,{role:`status`,children:i})]})]})}function V({connection:e,roles:t}){let[n,r]=(0,O.useState)(j),[i,a]=(0,O.useState)(null),[o,s]=(0,k.useMutation)(v);function c(t){t.preventDefault();let n=t.currentTarget,i=new FormData(n);r(j),a(null),o({variables:{input:{name:String(i.get(`name`)??``).trim(),role:String(i.get(`role`))},connections:[e]},onCompleted:e=>{a(e.createApiKey.secret),n.reset()},onError:e=>r(l(e,[`name`,`role`]))})}return(0,A.jsxs)(`form`,{onSubmit:c,noValidate:!0,"aria-label":`Create an API key`,className:`inline-form`,children:[(0,A.jsx)(m,{errors:n.form}),(0,A.jsxs)(`div`,{className:`form-grid`,children:[(0,A.jsx)(d,{form:`key`,name:`name`,label:`Key name`,autoComplete:`off`,error:n.fields.name}),(0,A.jsx)(f,{form:`key`,name:`role`,label:`Role`,defaultValue:`MARKETER`,error:n.fields.role,children:t.map(e=>(0,A.jsx)(`option`,{value:e,children:e},e))})]}),(0,A.jsx)(`div`,{className:`actions`,children:(0,A.jsx)(`button`,{type:`submit`,className:`primary`,disabled:s,children:s?`Creating…`:`Create key`})}),i&&(0,A.jsxs)(`div`,{className:`notice`,role:`status`,children:[(0,A.jsx)(`p`,{children:`This is the key's secret. It is shown this once: copy it now.`}),(0,A.jsx)(`p`,{className:`secret`,"data-testid":`api-key-secret`,children:i}),(0,A.jsx)(L,{text:i,label:`Copy secret`})]})]})}export{M as default};