import { css } from 'lit';

/** Styles of `<member-pricing>` beyond the shared widget styles. */
export const pricingStyles = css`
  .switch {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.75);
    align-items: center;
  }
  .switch legend {
    float: left;
    margin-right: calc(var(--_space) * 0.5);
  }
  .switch label {
    display: inline-flex;
    gap: calc(var(--_space) * 0.25);
    align-items: center;
    font-weight: 400;
  }
  .switch input {
    accent-color: var(--_primary);
  }
  .tiers {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_space);
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
  }
  .tier {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    align-content: start;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space);
    overflow-wrap: anywhere;
  }
  .tier[data-current] {
    border: 2px solid var(--_primary);
  }
  .price {
    font-size: 1.25rem;
    font-weight: 700;
  }
  .badge {
    justify-self: start;
    font-size: 0.8rem;
    font-weight: 600;
    border: 1px solid var(--_primary);
    border-radius: 999px;
    padding: 0 calc(var(--_space) * 0.5);
  }
  .features {
    margin: 0;
    padding-left: 1.2em;
  }
`;
