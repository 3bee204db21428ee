/** Entry point: the app, its Pinia, its styles. Which lab it talks to is decided in App.vue. */
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import '@xterm/xterm/css/xterm.css';
import './styles/theme.css';
import './styles/base.css';
import App from './App.vue';

createApp(App).use(createPinia()).mount('#app');
