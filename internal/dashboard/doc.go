// # Definitions
//
// Compute reads a range [from, to] of instants (both included) for one organization. Its days are the calendar
// dates of the organization's time zone from from's to to's; each begins at local midnight, so a day is 23 or 25
// hours long across a DST change. Money is in the organization's currency: amounts in other currencies are left
// out, not converted.
//
//   - revenue and conversions: the sums of the LAST_TOUCH attribution credits converted in the range, in the
//     organization's currency. A refund's credits carry its purchase's conversion time, so revenue is net of
//     refunds on the day of the purchase, and a full refund takes its conversion back. revenue equals the
//     LAST_TOUCH attributionReport's totalRevenue over the same range.
//   - spend: the sum of CampaignMetric.cost, in the organization's currency, of the platforms' reporting days
//     (midnight UTC of the platform's date) whose date is one of the range's days: spend has day granularity.
//   - roas: revenue ÷ spend; nil without spend.
//   - averageRoas: the mean, over the campaigns with spend in the range, of the LAST_TOUCH revenue credited to the
//     campaign (credits whose campaign is its utm_campaign) ÷ its spend; nil when no campaign spent.
//   - visitors: the distinct visitor ids of the range's events other than purchases and refunds.
//   - conversionRate: converting visitors (the distinct visitor ids of the range's purchase events, whatever their
//     currency) ÷ visitors; nil without visitors. A buyer seen only through the payment provider counts as
//     converting without being a visitor, so the rate can exceed 1.
//   - activeCampaigns: the organization's campaigns whose status is ACTIVE now, whatever the range.
//   - series: one point per day of the range, without gaps, dated at the day's local midnight, with that day's
//     revenue, spend, conversions and visitors (distinct per day: a visitor seen on two days counts on both). A
//     first or last day that the range covers only in part holds what falls in the range, spend excepted.
//   - topSources: the TopSources sources with the most LAST_TOUCH revenue in the range, with their conversions;
//     an empty source is shown as (direct) together with (direct). Ties go to more conversions, then by name;
//     sources left with neither revenue nor conversions after refunds are not listed.
//   - updatedAt: the time the dashboard was computed.
//
// Days are bucketed in SQL with boundaries computed here, in Go, with the zone's rules, so PostgreSQL and SQLite
// agree without either knowing the time zone.
//
// Visitors and converting visitors are read from the visitors rollup (internal/visitors), kept per local day at
// write time, when the range is made of whole local days: from is a local midnight, and to is either not in the
// past (the default range ends now) or within a millisecond before a local midnight (23:59:59.999). Any other range
// is counted from its events, exactly as above but in time linear in its traffic; both give the same numbers.
package dashboard
