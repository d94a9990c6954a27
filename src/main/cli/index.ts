/** Entry point of the CLI bundle (`npm run cli`, and the packaged app's `wslk`). */
import { main } from './main';

void main();
