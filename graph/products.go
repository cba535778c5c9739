package graph

import (
	"context"
	"slices"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/product"
	"github.com/marketingos/marketingos/internal/validation"
)

// updateProduct applies input to the product, with appendFeatures done here: the Mutate method entgql (v0.7.0)
// generates for UpdateProductInput appends input.Features instead of input.AppendFeatures, ent does not validate
// appended values, and one ent update cannot both set (or clear) a JSON list and append to it.
func (r *Resolver) updateProduct(ctx context.Context, id string, input ent.UpdateProductInput) (*ent.Product, error) {
	appended := input.AppendFeatures
	input.AppendFeatures = nil
	if appended != nil && (input.Features != nil || input.ClearFeatures) {
		// Clear, set, then append (entgql's documented order) is one list to set, validated as a whole.
		input.Features = append(slices.Clone(input.Features), appended...)
		input.ClearFeatures = false
		appended = nil
	}
	upd := r.client.Product.UpdateOneID(id).SetInput(input)
	if appended != nil {
		if err := product.FeaturesValidator(appended); err != nil {
			return nil, validation.Field("features", "%v", err)
		}
		upd.AppendFeatures(appended)
	}
	return upd.Save(ctx)
}
