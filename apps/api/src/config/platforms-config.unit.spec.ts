import { InvalidConfigurationError } from '@engine/config';
import { readPlatformsSetting } from './platforms-config';

describe('PLATFORMS', () => {
  it('lists the names, comma-separated, blanks ignored', () =>
    expect(readPlatformsSetting({ PLATFORMS: ' telegram, VK ,,threema ' })).toEqual(['telegram', 'VK', 'threema']));
  it('is none when unset, unless the program has a default (npm start: telegram)', () => {
    expect(readPlatformsSetting({})).toEqual([]);
    expect(readPlatformsSetting({}, ['telegram'])).toEqual(['telegram']);
  });
  it('set empty, is none even where the program has a default', () => expect(readPlatformsSetting({ PLATFORMS: '' }, ['telegram'])).toEqual([]));
  it('stops the start on a name that is no platform name, naming it and the setting', () => {
    const read = () => readPlatformsSetting({ PLATFORMS: 'telegram,te legram,-x' });
    expect(read).toThrow(InvalidConfigurationError);
    expect(read).toThrow(/PLATFORMS .*"te legram", "-x"/);
  });
});
