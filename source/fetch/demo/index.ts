// `gmon --demo`: an embedded target serving a simulated leaky Go service.
export {startDemoServer, type DemoServer, type DemoServerOptions} from './server.ts';
export {DemoWorld, type DemoWorldOptions, type LeakKind, type RenderOptions} from './world.ts';
