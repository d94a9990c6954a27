/** Where the user is in a wizard: an ordered list with the current step marked. */
export function StepsIndicator<T extends string>({ steps, labels, current }: { steps: readonly T[]; labels: Record<T, string>; current: T }) {
  const at = steps.indexOf(current);
  return (
    <ol className="steps" aria-label="Steps">
      {steps.map((s, i) => (
        <li key={s} className={i < at ? 'step-done' : i === at ? 'step-current' : 'step-todo'} aria-current={i === at ? 'step' : undefined}>
          <span className="step-number" aria-hidden="true">
            {i < at ? '✓' : i + 1}
          </span>
          <span className="step-label">
            {labels[s]}
            {i < at && <span className="visually-hidden"> (done)</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}
