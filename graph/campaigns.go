package graph

import (
	"github.com/marketingos/marketingos/ent/schema/jsontype"
	"github.com/marketingos/marketingos/graph/model"
	"github.com/marketingos/marketingos/internal/ads"
)

func createCampaignInput(in model.CreateCampaignInput) ads.CreateInput {
	creatives := make([]jsontype.Creative, 0, len(in.Creatives))
	for _, c := range in.Creatives {
		creatives = append(creatives, *c)
	}
	return ads.CreateInput{
		Platform: string(in.Platform), Name: in.Name, ProductID: in.ProductID, Objective: deref(in.Objective),
		DailyBudget: in.DailyBudget, Currency: deref(in.Currency), Keywords: in.Keywords, Creatives: creatives,
		Targeting: in.Targeting, UTMCampaign: deref(in.UtmCampaign), StartDate: in.StartDate, EndDate: in.EndDate,
	}
}
