import './zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initialLoad } from './store';
import { applyStoredTheme } from './theme';

// The theme first, synchronously: rendering waits for the font and the data below, and until App
// runs the page would otherwise paint (and a reload would read) without one.
applyStoredTheme();

// The data is asked for at once, in parallel with the font.
void initialLoad();

// Render once the UI font is in (it is served locally, so this takes milliseconds; capped so a
// broken font never holds the app back): text laid out in a fallback font and re-laid out in
// Inter would make the whole screen jump.
const fontReady = Promise.race([document.fonts.load('500 13px "Inter Variable"'), new Promise((r) => setTimeout(r, 500))]);
void fontReady.finally(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
