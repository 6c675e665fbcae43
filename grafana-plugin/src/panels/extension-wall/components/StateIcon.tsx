import React from 'react';
import { STATES, type ExtensionState } from '../model/states';
import { WallIcon } from './WallIcon';

/** The state's icon: shape carries the state for readers who cannot tell the colours apart. */
export function StateIcon({ state, color, className }: { state: ExtensionState; color: string; className?: string }) {
  return (
    <span className={className} data-role="state-icon" aria-hidden="true">
      <WallIcon name={STATES[state].icon} color={color} />
    </span>
  );
}
