// Package jsontype holds the structured values that entities keep in JSON columns. They are plain data shared by
// the ent schema, the GraphQL layer and the domain packages.
package jsontype

// Targeting narrows who sees an ad campaign.
type Targeting struct {
	Locations []string `json:"locations,omitempty"`
	Languages []string `json:"languages,omitempty"`
	Interests []string `json:"interests,omitempty"`
	AgeMin    *int     `json:"ageMin,omitempty"`
	AgeMax    *int     `json:"ageMax,omitempty"`
}

// Creative is one ad of a Meta campaign.
type Creative struct {
	Headline string  `json:"headline"`
	Body     string  `json:"body"`
	LinkURL  string  `json:"linkUrl"`
	ImageURL *string `json:"imageUrl,omitempty"`
}

// ContentVariant is a post's text adapted to one social platform.
type ContentVariant struct {
	Platform string   `json:"platform"`
	Text     string   `json:"text"`
	Hashtags []string `json:"hashtags"`
}
