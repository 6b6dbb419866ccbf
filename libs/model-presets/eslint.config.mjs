import baseConfig from '../../eslint.config.mjs';
import { pureLibraryRules } from '../../tools/eslint-pure.mjs';

export default [...baseConfig, pureLibraryRules];
