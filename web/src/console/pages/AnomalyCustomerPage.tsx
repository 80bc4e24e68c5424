/** Placeholder, filled in by its slice of issue 13. */
export function AnomalyCustomerPage() {
  return null;
}
