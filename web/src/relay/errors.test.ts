import { describe, expect, it } from 'vitest';
import { GraphQLResponseError, errorMessage, fieldErrors } from './errors';

describe('fieldErrors', () => {
  const fields = ['name', 'dailyBudget', 'creatives'];

  it('puts each BAD_USER_INPUT on its field, without the field prefix the server adds', () => {
    const err = new GraphQLResponseError([
      { message: 'dailyBudget: the daily budget must be positive', extensions: { code: 'BAD_USER_INPUT', field: 'dailyBudget' } },
      { message: 'creatives.0.headline: is empty', extensions: { code: 'BAD_USER_INPUT', field: 'creatives.0.headline' } },
    ]);
    expect(fieldErrors(err, fields)).toEqual({
      fields: { dailyBudget: 'The daily budget must be positive', creatives: 'Is empty' },
      form: [],
    });
  });

  it('keeps errors that name no field of the form, and any other error, for the form', () => {
    const err = new GraphQLResponseError([
      { message: 'utmCampaign: taken', extensions: { code: 'BAD_USER_INPUT', field: 'utmCampaign' } },
      { message: 'forbidden', extensions: { code: 'FORBIDDEN' } },
    ]);
    expect(fieldErrors(err, fields)).toEqual({ fields: {}, form: ['UtmCampaign: taken', 'Your role does not allow this.'] });
    expect(fieldErrors(new Error('The server cannot be reached.'), fields).form).toEqual(['The server cannot be reached.']);
  });
});

describe('errorMessage', () => {
  it('says in words what a code means', () => {
    expect(errorMessage(new GraphQLResponseError([{ message: 'x', extensions: { code: 'FORBIDDEN' } }]))).toBe('Your role does not allow this.');
    expect(errorMessage(undefined)).toBe('Something went wrong.');
  });
});
