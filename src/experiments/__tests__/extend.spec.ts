import { extendRequest } from '../ExtendDialog';

describe('extendRequest', () => {
  it('turns minutes into seconds and leaves an empty field out', () => {
    expect(extendRequest('2', '')).toEqual({
      additional_seconds: 120,
      additional_candidates: null
    });
    expect(extendRequest('', '5')).toEqual({
      additional_seconds: null,
      additional_candidates: 5
    });
    expect(extendRequest(' 1 ', '3')).toEqual({
      additional_seconds: 60,
      additional_candidates: 3
    });
  });

  it('refuses nothing added and values that are not positive whole numbers', () => {
    expect(extendRequest('', '')).toBeNull();
    expect(extendRequest('0', '')).toBeNull();
    expect(extendRequest('', '2.5')).toBeNull();
    expect(extendRequest('-1', '4')).toBeNull();
    expect(extendRequest('ten', '')).toBeNull();
  });
});
