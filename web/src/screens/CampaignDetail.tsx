export default function CampaignDetail() {
  return <h1>CampaignDetail</h1>;
}
