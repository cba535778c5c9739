package graph

import (
	"github.com/marketingos/marketingos/ent/schema/jsontype"
	"github.com/marketingos/marketingos/graph/model"
	"github.com/marketingos/marketingos/internal/content"
)

func generateContentInput(in model.GenerateContentInput) content.GenerateInput {
	platforms := make([]string, len(in.Platforms))
	for i, p := range in.Platforms {
		platforms[i] = string(p)
	}
	return content.GenerateInput{ProductID: in.ProductID, Kind: deref(in.Kind), Platforms: platforms}
}

func updateContentInput(in model.UpdateContentInput) content.UpdateInput {
	out := content.UpdateInput{Title: in.Title, Hook: in.Hook}
	if in.Variants != nil {
		out.Variants = make([]jsontype.ContentVariant, len(in.Variants))
		for i, v := range in.Variants {
			out.Variants[i] = *v
		}
	}
	return out
}
