/** Where the user is in a wizard: an ordered list with the current step marked, and a step that failed or was cancelled shown as such. */
export function StepsIndicator<T extends string>({ steps, labels, current, failed }: { steps: readonly T[]; labels: Record<T, string>; current: T; failed?: { step: T; text: string } | null }) {
  const at = steps.indexOf(current);
  return (
    <ol className="steps" aria-label="Steps">
      {steps.map((s, i) => {
        const bad = failed?.step === s;
        const cls = bad ? 'step-failed' : i < at ? 'step-done' : i === at ? 'step-current' : 'step-todo';
        return (
          <li key={s} className={cls} aria-current={i === at ? 'step' : undefined} data-step={s}>
            <span className="step-number" aria-hidden="true">
              {bad ? '✕' : i < at ? '✓' : i + 1}
            </span>
            <span className="step-label">
              {labels[s]}
              {bad ? <span className="visually-hidden"> ({failed.text})</span> : i < at && <span className="visually-hidden"> (done)</span>}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
