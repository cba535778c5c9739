package audit

// SSODomainJoined records a person who joined an organization, as MARKETER, by signing in with single sign-on with
// a verified e-mail in the organization's SSO domain. (Kept apart from the other actions only so that work on them
// and on single sign-on touch different files.)
const SSODomainJoined = "auth.ssoDomainJoined"
