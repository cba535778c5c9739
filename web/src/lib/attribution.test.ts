import { describe, expect, it } from 'vitest';
import { attributionCSV, attributionTable, spendByChannel, type Report } from './attribution';
import { csvField, toCSV } from './csv';

const reports: Report[] = [
  { model: 'FIRST_TOUCH', rows: [{ source: 'google', conversions: 2, revenue: 200 }, { source: null, conversions: 1, revenue: 50 }] },
  { model: 'LAST_TOUCH', rows: [{ source: 'google', conversions: 1, revenue: 100 }, { source: 'facebook', conversions: 2, revenue: 150 }] },
  { model: 'LINEAR', rows: [{ source: 'google', conversions: 1.5, revenue: 150 }, { source: 'facebook', conversions: 1.5, revenue: 100 }] },
  { model: 'TIME_DECAY', rows: [] },
  { model: 'POSITION_BASED', rows: [{ source: 'google', conversions: 1.4, revenue: 140 }] },
];

describe('attributionTable', () => {
  const spend = spendByChannel(
    [
      { platform: 'GOOGLE', utmCampaign: 'spring', spend: 40 },
      { platform: 'GOOGLE', utmCampaign: 'brand', spend: 10 },
      { platform: 'FACEBOOK', utmCampaign: 'retarget', spend: 0 },
      { platform: 'FACEBOOK', utmCampaign: 'lookalike', spend: 300 },
    ],
    'SOURCE',
  );
  const table = attributionTable(reports, 'SOURCE', spend);

  it('joins the models on the channel, sorted by last-touch revenue', () => {
    expect(table.map((r) => r.channel)).toEqual(['facebook', 'google', '(none)']);
    const google = table[1]!;
    expect(google.spend).toBe(50);
    expect(google.byModel.LINEAR).toEqual({ conversions: 1.5, revenue: 150, roas: 3, roi: 2 });
    expect(google.byModel.TIME_DECAY).toEqual({ conversions: 0, revenue: 0, roas: 0, roi: -1 });
  });

  it('has no ROAS or ROI without spend', () => {
    expect(table[2]!.byModel.FIRST_TOUCH).toEqual({ conversions: 1, revenue: 50, roas: null, roi: null });
  });

  it('spend per campaign and medium', () => {
    const campaigns = [
      { platform: 'GOOGLE', utmCampaign: 'spring', spend: 40 },
      { platform: 'FACEBOOK', utmCampaign: 'lookalike', spend: 30 },
    ];
    expect([...spendByChannel(campaigns, 'CAMPAIGN')]).toEqual([['spring', 40], ['lookalike', 30]]);
    expect([...spendByChannel(campaigns, 'MEDIUM')]).toEqual([['cpc', 70]]);
  });

  it('writes one CSV line per channel and model', () => {
    const csv = attributionCSV(table, 'SOURCE').split('\r\n');
    expect(csv[0]).toBe('source,model,conversions,revenue,spend,roas,roi');
    expect(csv).toContain('google,LINEAR,1.5,150,50,3,2');
    expect(csv).toContain('(none),FIRST_TOUCH,1,50,,,');
    expect(csv).toHaveLength(1 + 3 * 5 + 1); // header, rows, and the final line end
  });
});

describe('csv', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
    expect(toCSV(['a'], [['x\ny']])).toBe('a\r\n"x\ny"\r\n');
  });
});
