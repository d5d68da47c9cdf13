/**
 * A React root in the test document, mounted before and unmounted after each
 * test of the file that calls `mountPoint()`.
 */
import * as React from 'react';
import { act } from 'react';
import { createRoot, Root } from 'react-dom/client';

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

/** The current test's container, and a way to render into it. */
export interface IMountPoint {
  readonly container: HTMLDivElement;
  readonly root: Root;
  render(element: React.ReactElement): void;
}

/** Mount a fresh root for each test (call at a describe's or file's top level). */
export function mountPoint(): IMountPoint {
  let container: HTMLDivElement;
  let root: Root;
  beforeEach(() => {
    container = document.createElement('div');
    document.body.appendChild(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });
  return {
    get container() {
      return container;
    },
    get root() {
      return root;
    },
    render(element: React.ReactElement) {
      act(() => root.render(element));
    }
  };
}
