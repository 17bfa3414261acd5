/**
 * @memberkit/widgets/internal: building blocks shared with `@memberkit/admin-elements`.
 * Not a stable public API.
 */
export { MemberkitElement, defineElement, type EmitOptions } from './memberkit-element.js';
export { startLazyElements, type ElementLoader } from './lazy-elements.js';
export { MemberWidget } from './member-widget.js';
export { widgetStyles } from './widget-styles.js';
export { FormController, validateForm, describeError, type FieldErrors } from './form-controller.js';
export { renderInput, renderSelect, renderCheckbox, fieldId, type InputField, type SelectOption } from './fields.js';
export { renderCustomField, readCustomFields, customFieldName } from './custom-fields.js';
export {
  defaultTheme,
  themeContext,
  themeFromBranding,
  themeKeys,
  themeProperties,
  themeValue,
  type ColorScheme,
  type MemberkitTheme,
} from '../provider/theme.js';
export { applyTheme, resolveTheme, darkDefaults } from '../provider/apply-theme.js';
export {
  createStrings,
  format,
  stringsContext,
  type StringKey,
  type StringParams,
  type StringTable,
  type Strings,
} from '../i18n/strings.js';
export { resolveLocale, pickLocalized, baseLanguage, builtInLocales, type LocaleInputs } from '../i18n/locale.js';
export { en } from '../i18n/en.js';
export { de } from '../i18n/de.js';
export { configContext, fallbackConfig, normalizeConfig, type PublicConfig } from '../config/public-config.js';
