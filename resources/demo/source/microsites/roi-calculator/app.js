// AquaCore ROI calculator. Runs in a sandboxed iframe with no network and no storage, so all
// state lives in the inputs and every number is computed here from 2026 list prices.
'use strict';

const UNITS = {
  ac200: { name: 'AquaCore 200', perDay: 4000, litresPerHour: 200, kw: 0.9, recovery: 0.75, price: 14900, install: 1400, membrane: 520 },
  ac500: { name: 'AquaCore 500', perDay: 12000, litresPerHour: 500, kw: 2.8, recovery: 0.78, price: 38500, install: 4200, membrane: 3280 },
};
const PLANS = {
  essential: { ac200: 990, ac500: 2400, membranesIncluded: false },
  plus: { ac200: 1690, ac500: 3900, membranesIncluded: true },
  premier: { ac200: 2490, ac500: 5900, membranesIncluded: true },
};
const YEARS = 5;

const eur = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const eur2 = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2 });
const num = new Intl.NumberFormat('en-GB');

const $ = (id) => document.getElementById(id);
let baseline = 'bottled';

function readInputs() {
  return {
    litres: Number($('litres').value),
    days: Number($('days').value),
    bottlePrice: Number($('bottle-price').value),
    filterCost: Number($('filter-cost').value),
    waterPrice: Number($('water-price').value),
    energyPrice: Number($('energy-price').value),
    plan: $('plan').value,
  };
}

/** Sizes the plant: one AquaCore 200 for small sites, otherwise as many AquaCore 500 as needed. */
function size(litresPerDay) {
  if (litresPerDay <= UNITS.ac200.perDay) return { key: 'ac200', count: 1 };
  return { key: 'ac500', count: Math.ceil(litresPerDay / UNITS.ac500.perDay) };
}

function calculate(input) {
  const { key, count } = size(input.litres);
  const unit = UNITS[key];
  const plan = PLANS[input.plan];
  const litresPerYear = input.litres * input.days;

  const capex = count * (unit.price + unit.install);
  const water = (litresPerYear / unit.recovery / 1000) * input.waterPrice;
  const energy = (litresPerYear / unit.litresPerHour) * unit.kw * input.energyPrice;
  const service = count * plan[key];
  // Membranes last about three years; on Essential the customer buys them.
  const membranes = plan.membranesIncluded ? 0 : (count * unit.membrane) / 3;
  const aquacoreYearly = water + energy + service + membranes;

  const baselineYearly =
    baseline === 'bottled'
      ? litresPerYear * input.bottlePrice
      : input.filterCost + (litresPerYear / 1000) * input.waterPrice;
  const baselineCapex = 0;

  const saving = baselineYearly - aquacoreYearly;
  const paybackMonths = saving > 0 ? capex / (saving / 12) : Infinity;
  return {
    model: count > 1 ? `${count} × ${unit.name}` : unit.name,
    capex,
    aquacoreYearly,
    baselineYearly,
    baselineCapex,
    saving,
    paybackMonths,
  };
}

function render() {
  const input = readInputs();
  $('litres-out').textContent = `${num.format(input.litres)} L`;
  $('days-out').textContent = `${input.days} days`;
  $('bottle-price-out').textContent = eur2.format(input.bottlePrice);
  $('filter-cost-out').textContent = eur.format(input.filterCost);
  $('water-price-out').textContent = eur2.format(input.waterPrice);
  $('energy-price-out').textContent = eur2.format(input.energyPrice);

  const r = calculate(input);
  const baselineName = baseline === 'bottled' ? 'Bottled water' : 'Legacy filters';
  $('model').textContent = r.model;
  $('saving').textContent = r.saving > 0 ? eur.format(r.saving) : 'None';
  $('payback').textContent = Number.isFinite(r.paybackMonths)
    ? r.paybackMonths < 1 ? 'Under 1 month' : `${Math.ceil(r.paybackMonths)} months`
    : 'No payback';

  $('baseline-label').textContent = baselineName;
  $('tco-baseline-head').textContent = baselineName;
  $('baseline-cost').textContent = eur.format(r.baselineYearly);
  $('aquacore-cost').textContent = eur.format(r.aquacoreYearly);
  const max = Math.max(r.baselineYearly, r.aquacoreYearly, 1);
  $('baseline-bar').style.width = `${(r.baselineYearly / max) * 100}%`;
  $('aquacore-bar').style.width = `${(r.aquacoreYearly / max) * 100}%`;

  $('tco-b-capex').textContent = eur.format(r.baselineCapex);
  $('tco-a-capex').textContent = eur.format(r.capex);
  $('tco-b-run').textContent = eur.format(r.baselineYearly * YEARS);
  $('tco-a-run').textContent = eur.format(r.aquacoreYearly * YEARS);
  $('tco-b-total').textContent = eur.format(r.baselineCapex + r.baselineYearly * YEARS);
  $('tco-a-total').textContent = eur.format(r.capex + r.aquacoreYearly * YEARS);
}

function setBaseline(next) {
  baseline = next;
  for (const button of document.querySelectorAll('[data-baseline]')) {
    button.setAttribute('aria-checked', String(button.dataset.baseline === next));
  }
  for (const field of document.querySelectorAll('[data-for]')) {
    field.hidden = field.dataset.for !== next;
  }
  render();
}

for (const button of document.querySelectorAll('[data-baseline]')) {
  button.addEventListener('click', () => setBaseline(button.dataset.baseline));
}
for (const control of document.querySelectorAll('input, select')) {
  control.addEventListener('input', render);
}
render();
