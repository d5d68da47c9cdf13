import * as React from 'react';

import { mountPoint } from '../../__tests__/dom';
import { INewest, useNewest } from '../hooks';

const dom = mountPoint();

describe('useNewest', () => {
  it('keeps only the newest request current, across renders', () => {
    const seen: INewest[] = [];
    function Probe(props: { n: number }) {
      seen.push(useNewest());
      return <span>{props.n}</span>;
    }
    dom.render(<Probe n={1} />);
    dom.render(<Probe n={2} />);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);

    const newest = seen[0];
    const first = newest.start();
    expect(first()).toBe(true);
    const second = newest.start();
    expect(first()).toBe(false);
    expect(second()).toBe(true);
    newest.drop();
    expect(second()).toBe(false);
  });
});
