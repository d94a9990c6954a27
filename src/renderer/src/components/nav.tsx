/** Navigation between the three parts of the app. */
import { useApp } from '../stores/app-store';
import type { Section } from '../stores/app-store';

const SECTIONS: { id: Section; label: string }[] = [
  { id: 'install', label: 'Install' },
  { id: 'settings', label: 'Settings' },
  { id: 'repair', label: 'Repair' },
];

export function Nav() {
  const section = useApp((s) => s.section);
  const setSection = useApp((s) => s.setSection);
  return (
    <nav aria-label="Sections" className="nav">
      <ul>
        {SECTIONS.map((s) => (
          <li key={s.id}>
            <button type="button" aria-current={section === s.id ? 'page' : undefined} onClick={() => setSection(s.id)}>
              {s.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
